using System.Security.Cryptography;
using System.Text.Encodings.Web;

namespace FunctionsIvr.Hosting;

/// <summary>
/// The frame of the few server-rendered pages (agent page, call log): one HTML document with inline CSS and
/// script, readable on a phone, no framework. Callers pass body HTML they built with <see cref="Encode"/>.
/// </summary>
public static class HtmlPage
{
    private const string Css = """
        :root{color-scheme:light dark;--line:#8884;--muted:#777;--accent:#0a66c2}
        *{box-sizing:border-box}
        body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:12px;max-width:60rem;margin-inline:auto}
        h1{font-size:1.3rem;margin:.2rem 0 .6rem}h2{font-size:1.05rem;margin:.2rem 0}
        .muted{color:var(--muted);font-size:.9rem}
        .card{border:1px solid var(--line);border-radius:10px;padding:10px 12px;margin:0 0 12px}
        .card.new{border-color:var(--accent);box-shadow:0 0 0 2px var(--accent)}
        .tag{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 8px;font-size:.85rem;margin-left:4px}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:.4rem 0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:break-word}
        ul{margin:.2rem 0;padding-left:1.2rem}
        table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
        .num{text-align:right;white-space:nowrap}
        .denied{border:2px solid #c0392b;border-radius:10px;padding:12px}
        @media (max-width:640px){
          table.steps thead{display:none}
          table.steps tr{display:block;border:1px solid var(--line);border-radius:8px;margin:0 0 8px;padding:4px}
          table.steps td{display:grid;grid-template-columns:7rem 1fr;border:0;padding:2px 4px}
          table.steps td::before{content:attr(data-label);color:var(--muted)}
          table.steps td.num{text-align:left}
        }
        """;

    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A complete page; <paramref name="script"/> runs under the page's nonce, nothing else may run.</summary>
    public static IResult Result(string title, string body, string? script = null, int statusCode = StatusCodes.Status200OK)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>{Encode(title)}</title>
            <style>{Css}</style></head>
            <body>
            {body}
            {(script is null ? "" : $"<script nonce=\"{nonce}\">{script}</script>")}
            </body></html>
            """;
        return new PageResult(html, statusCode, nonce);
    }

    private sealed class PageResult(string html, int statusCode, string nonce) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers.ContentSecurityPolicy =
                $"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
