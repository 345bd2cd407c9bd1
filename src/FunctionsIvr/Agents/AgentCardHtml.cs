using System.Globalization;
using System.Text;
using FunctionsIvr.Hosting;

namespace FunctionsIvr.Agents;

/// <summary>One card as HTML, every value encoded; the page and the polled updates use the same markup.</summary>
public static class AgentCardHtml
{
    public static string Render(AgentCard card, bool isNew = false)
    {
        ArgumentNullException.ThrowIfNull(card);
        var e = HtmlPage.Encode;
        var html = new StringBuilder();
        var who = string.Join(", ", new[] { card.CallerName, card.Company }.Where(s => s.Length > 0));
        html.Append(CultureInfo.InvariantCulture, $"<article class=\"card{(isNew ? " new" : "")}\" data-card-id=\"{card.Id}\">");
        html.Append(CultureInfo.InvariantCulture, $"<h2>{e(who.Length == 0 ? "Unknown caller" : who)}");
        if (card.Segment.Length > 0) html.Append(CultureInfo.InvariantCulture, $" <span class=\"tag\">{e(card.Segment)}</span>");
        html.Append("</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"muted\">{e(card.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC · call {e(card.CallId)}</div>");
        html.Append("<dl>");
        Row("Number", card.MaskedNumber);
        Row("Menu", string.Join(" → ", card.Steps));
        Row("Looking at", card.LookingAt);
        html.Append("</dl>");
        List("Open orders", card.OpenOrders);
        List("Open complaints", card.OpenComplaints);
        if (card.Missing.Count > 0) html.Append(CultureInfo.InvariantCulture, $"<div class=\"muted\">Not read in time: {e(string.Join(", ", card.Missing))}</div>");
        html.Append("</article>");
        return html.ToString();

        void Row(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) html.Append(CultureInfo.InvariantCulture, $"<dt>{e(name)}</dt><dd>{e(value)}</dd>");
        }

        void List(string name, IReadOnlyList<string> items)
        {
            if (items.Count == 0) return;
            html.Append(CultureInfo.InvariantCulture, $"<div><strong>{e(name)}</strong><ul>");
            foreach (var item in items) html.Append(CultureInfo.InvariantCulture, $"<li>{e(item)}</li>");
            html.Append("</ul></div>");
        }
    }
}
