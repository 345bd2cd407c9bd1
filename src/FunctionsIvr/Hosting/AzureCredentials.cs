using Azure.Core;
using Azure.Identity;

namespace FunctionsIvr.Hosting;

/// <summary>
/// The Entra ID credential for an identity-based connection (<c>{Connection}__clientId</c>, as the Functions
/// host reads it): a user-assigned managed identity when a client id is given, otherwise
/// <see cref="DefaultAzureCredential"/> (system-assigned identity in Azure, developer sign-in locally).
/// </summary>
public static class AzureCredentials
{
    public static TokenCredential Create(string? clientId) =>
        string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId.Trim()));
}
