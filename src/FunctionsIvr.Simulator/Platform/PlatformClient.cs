using System.Net.Http.Headers;

namespace FunctionsIvr.Simulator.Platform;

/// <summary>Sends encoded callbacks to the app and times the answers, as the platform's HTTP side does.</summary>
public sealed class PlatformClient(HttpClient http, TimeProvider time)
{
    /// <summary>An HttpClient set up like a webhook caller: no redirects, no cookies, connections pooled for load.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = int.MaxValue,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>Posts the callback; never throws for network trouble, which is reported in <see cref="HttpAnswer.TransportError"/>.</summary>
    public async Task<HttpAnswer> SendAsync(Uri url, EncodedCallback callback, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(callback.Body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(callback.ContentType);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(maxWait);
        var started = time.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            return new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body,
                time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HttpAnswer.Failed($"no answer within {maxWait.TotalMilliseconds:0} ms (the platform's max wait): app timeout",
                time.GetElapsedTime(started));
        }
        catch (HttpRequestException e)
        {
            return HttpAnswer.Failed("no answer: " + Reason(e), time.GetElapsedTime(started));
        }
    }

    // HttpClient's outer message ("An error occurred while sending the request.") says nothing; the inner ones do.
    private static string Reason(Exception e)
    {
        var reasons = new List<string>();
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (!reasons.Contains(current.Message))
            {
                reasons.Add(current.Message);
            }
        }

        return reasons.Count > 1 && reasons[0].StartsWith("An error occurred while sending", StringComparison.Ordinal)
            ? string.Join(": ", reasons.Skip(1))
            : string.Join(": ", reasons);
    }
}
