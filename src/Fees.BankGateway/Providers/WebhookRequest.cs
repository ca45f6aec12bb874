namespace Fees.BankGateway.Providers;

/// <summary>
/// What an adapter needs from an HTTP request to verify it: the raw body bytes, exactly as received (signatures are over
/// them), and the headers, looked up case-insensitively.
/// </summary>
/// <remarks>
/// A header given twice (in any letter case) is combined into one value joined by <c>", "</c>, as RFC 9110 §5.3 combines
/// repeated fields, so a doubled signature header fails verification instead of one copy being picked. Values are trimmed
/// of surrounding white space. The API layer builds one from <c>HttpRequest</c>:
/// <c>new WebhookRequest(bodyBytes, request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())))</c>.
/// </remarks>
public sealed class WebhookRequest
{
    private readonly Dictionary<string, string> _headers;

    /// <param name="body">The raw body; not copied, so do not change the buffer while the request is in use.</param>
    /// <param name="headers">Name and value pairs; names are matched case-insensitively (ordinal).</param>
    public WebhookRequest(ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Body = body;
        _headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(headers));
            ArgumentNullException.ThrowIfNull(value, nameof(headers));
            string trimmed = value.Trim();
            _headers[name] = _headers.TryGetValue(name, out string? earlier) ? earlier + ", " + trimmed : trimmed;
        }
    }

    /// <summary>The raw body bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The headers by name, case-insensitively.</summary>
    public IReadOnlyDictionary<string, string> Headers => _headers;

    /// <summary>The value of header <paramref name="name"/>, or <see langword="null"/> when absent.</summary>
    public string? Header(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _headers.TryGetValue(name, out string? value) ? value : null;
    }
}
