using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using FunctionsIvr.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Ivr;

/// <summary>
/// The edge of the IVR webhook, applied with <see cref="IvrEndpointConventionBuilderExtensions.ValidateIvrRequest{TBuilder}"/>.
/// Reads the body once, never buffering more than <c>Ivr:MaxRequestBodyBytes</c> (413 beyond it), parses it, and when
/// <c>Ivr:Hash</c> is set lets through only callbacks carrying exactly that Hash (403 otherwise, with an empty body so
/// the platform takes its own fallback). The handler gets the outcome from <see cref="IvrHttpContextExtensions.GetIvrParseResult"/>,
/// with the Hash removed.
/// </summary>
public sealed class IvrRequestFilter(IOptions<IvrOptions> options, ILogger<IvrRequestFilter> logger) : IEndpointFilter
{
    private byte[]? _expectedHash;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var httpContext = context.HttpContext;
        var request = httpContext.Request;
        var maxBytes = options.Value.MaxRequestBodyBytes;

        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            Log.RequestBodyTooLarge(logger, declared, maxBytes);
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        IvrParseResult parsed;
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        var length = -1;
        try
        {
            length = await ReadUpToAsync(request.Body, buffer.AsMemory(0, maxBytes + 1), httpContext.RequestAborted);
            if (length > maxBytes)
            {
                Log.RequestBodyTooLarge(logger, length, maxBytes);
                return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            parsed = IvrRequestParser.Parse(buffer.AsMemory(0, length), request.ContentType);
        }
        finally
        {
            // The buffer held the shared secret and the caller's number; only the bytes read need wiping, not the
            // whole rented buffer (which is larger than the body limit, so clearing all of it cost every callback).
            // A read that failed part-way leaves an unknown length: wipe everything then.
            (length < 0 ? buffer.AsSpan() : buffer.AsSpan(0, length)).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (parsed.Error is { } error)
        {
            Log.RequestNotParsed(logger, error.Kind, error.Reason);
        }

        if (HashProblem(parsed) is { } problem)
        {
            Log.HashRejected(logger, problem, Redact.Phone(parsed.Request?.FromNumber), Redact.Id(parsed.Request?.UniqueCallId));
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        httpContext.Features.Set(parsed.WithoutHash());
        return await next(context);
    }

    /// <summary>Null when the callback may pass; otherwise what is wrong with its Hash, for the log.</summary>
    private string? HashProblem(IvrParseResult parsed)
    {
        var expected = options.Value.Hash;
        if (string.IsNullOrWhiteSpace(expected))
        {
            Log.HashNotConfigured(logger);
            return null;
        }

        if (parsed.Hash is null)
        {
            return parsed.Error is null or { Kind: IvrParseErrorKind.MissingUniqueCallId } ? "missing" : "unreadable (body not parsed)";
        }

        var expectedBytes = _expectedHash ??= Encoding.UTF8.GetBytes(expected);
        var receivedLength = Encoding.UTF8.GetByteCount(parsed.Hash);
        // A Hash of another length is wrong whatever it holds; one of the right length is compared in constant time.
        if (receivedLength != expectedBytes.Length) return "wrong";
        Span<byte> received = receivedLength <= 256 ? stackalloc byte[receivedLength] : new byte[receivedLength];
        Encoding.UTF8.GetBytes(parsed.Hash, received);
        return CryptographicOperations.FixedTimeEquals(expectedBytes, received) ? null : "wrong";
    }

    /// <summary>Reads until the body ends or <paramref name="destination"/> is full, so one byte over the limit is enough to refuse.</summary>
    private static async ValueTask<int> ReadUpToAsync(Stream body, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = await body.ReadAsync(destination[total..], cancellationToken);
            if (read == 0) break;
            total += read;
        }

        return total;
    }
}
