namespace Fees.BankGateway.Providers;

/// <summary>The stable codes of <see cref="FieldError.Code"/>.</summary>
public static class FieldErrorCodes
{
    /// <summary>The body is not one well-formed JSON value (UTF-8, no comments, no trailing commas, no duplicate names).</summary>
    public const string MalformedJson = "malformed_json";

    /// <summary>The body is larger than <see cref="WebhookLimits.MaxBodyBytes"/>, or a batch has too many transactions.</summary>
    public const string TooLarge = "too_large";

    /// <summary>A required field is missing or <c>null</c>.</summary>
    public const string Required = "required";

    /// <summary>The field has the wrong JSON type (a string where a number is expected, …).</summary>
    public const string WrongType = "wrong_type";

    /// <summary>An amount is not a JSON integer literal (it has a fraction or an exponent).</summary>
    public const string NotInteger = "not_integer";

    /// <summary>An amount or balance is outside its range (<see cref="BankTransactionLimits"/>).</summary>
    public const string OutOfRange = "out_of_range";

    /// <summary>Text is longer than its bound.</summary>
    public const string TooLong = "too_long";

    /// <summary>Text contains characters it may not (a control character in an id, an unpaired surrogate).</summary>
    public const string BadText = "bad_text";

    /// <summary>An account number is not 1 to 19 characters <c>[0-9A-Z]</c>.</summary>
    public const string BadAccount = "bad_account";

    /// <summary>A BIN is not exactly 6 digits.</summary>
    public const string BadBin = "bad_bin";

    /// <summary>A date-time does not have the expected format, or lies outside [2000, 2100).</summary>
    public const string BadDate = "bad_date";

    /// <summary>A direction is neither <c>in</c> nor <c>out</c>, or contradicts the sign of the amount.</summary>
    public const string BadDirection = "bad_direction";

    /// <summary>The provider said the payload reports an error (Casso <c>error</c> ≠ 0).</summary>
    public const string ProviderError = "provider_error";
}
