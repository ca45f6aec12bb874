using System.Text.Json;

namespace Fees.BankGateway.Providers;

/// <summary>How every adapter reads a body: size cap, strict JSON, a root object.</summary>
internal static class WebhookJson
{
    /// <summary>
    /// Strict reading: no comments, no trailing commas, and no duplicate property names, so that what we verify, store and
    /// read cannot disagree about which of two values counts.
    /// </summary>
    public static readonly JsonDocumentOptions Options = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = WebhookLimits.MaxJsonDepth,
    };

    /// <summary>Parses <paramref name="body"/>, or records why not at path <c>$</c>.</summary>
    public static JsonDocument? Parse(ReadOnlySpan<byte> body, FieldReader reader)
    {
        if (body.Length > WebhookLimits.MaxBodyBytes)
        {
            reader.Fail("$", FieldErrorCodes.TooLarge, $"The body is larger than {WebhookLimits.MaxBodyBytes} bytes.", "Nội dung yêu cầu quá lớn (tối đa 1 MiB).");
            return null;
        }
        if (TryParse(body, out var document, out string? error))
        {
            return document;
        }
        reader.Fail("$", FieldErrorCodes.MalformedJson, error, "Nội dung yêu cầu không phải JSON hợp lệ.");
        return null;
    }

    /// <summary>Parses without the size cap's error reporting; <paramref name="error"/> says where the JSON broke.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JsonDocument? document,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        try
        {
            document = JsonDocument.Parse(body.ToArray(), Options);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            document = null;
            // The position, not the message: JsonException messages can quote the offending text.
            error = $"The body is not well-formed JSON (line {e.LineNumber}, byte {e.BytePositionInLine}).";
            return false;
        }
    }
}
