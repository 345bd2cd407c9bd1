using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace FunctionsIvr.Tests.State.Tables;

/// <summary>
/// A private Azurite over https with <c>--oauth basic</c>, the only way to run Azure.Core's bearer policy (which
/// refuses http) against a Table endpoint locally. Its certificate is made here and trusted only by
/// <see cref="CreateTransport"/>. Azurite's basic OAuth checks the token's audience, issuer and lifetime, not its
/// signature.
/// </summary>
public sealed class AzuriteOAuthFixture : IAsyncLifetime
{
    private AzuriteTableProcess? _azurite;
    private X509Certificate2? _certificate;
    private string? _certificateDirectory;

    public Uri Endpoint => _azurite?.Endpoint ?? throw new InvalidOperationException("Azurite is not started.");

    public async Task InitializeAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        _certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        _certificateDirectory = Directory.CreateTempSubdirectory("functionsivr-azurite-tls-").FullName;
        var certificatePath = Path.Combine(_certificateDirectory, "cert.pem");
        var keyPath = Path.Combine(_certificateDirectory, "key.pem");
        await File.WriteAllTextAsync(certificatePath, _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        _azurite = await AzuriteTableProcess.StartAsync("https", "--oauth", "basic", "--cert", certificatePath, "--key", keyPath);
    }

    public HttpPipelineTransport CreateTransport()
    {
        var thumbprint = _certificate!.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
            },
        };
        return new HttpClientTransport(new HttpClient(handler));
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync();
        _certificate?.Dispose();
        if (_certificateDirectory is not null) Directory.Delete(_certificateDirectory, recursive: true);
    }
}
