namespace Fees.BankGateway.Providers;

/// <summary>
/// One refused field of a provider's body or history response.
/// </summary>
/// <param name="Path">
/// The JSON path of the field (<c>$.transferAmount</c>, <c>$.data[2].amount</c>, <c>$.transactions[0].amount_in</c>);
/// <c>$</c> is the whole body. Use it as the key of the problem details' <c>errors</c> object.
/// </param>
/// <param name="Code">A stable machine code from <see cref="FieldErrorCodes"/>.</param>
/// <param name="Reason">English, for logs and developers. Never contains the field's value (it may be personal data).</param>
/// <param name="ReasonVietnamese">Vietnamese with diacritics, for the 400 body and for office staff.</param>
public sealed record FieldError(string Path, string Code, string Reason, string ReasonVietnamese);
