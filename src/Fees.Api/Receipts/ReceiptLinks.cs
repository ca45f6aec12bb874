using Fees.Api.Hosting;
using Fees.Persistence.Receipts;

namespace Fees.Api.Receipts;

/// <summary>
/// Where a receipt is checked: <c>/bien-lai/xac-minh/{organization code}/{year}/{number as printed}?s={signature}</c>,
/// e.g. <c>/bien-lai/xac-minh/HN.X001.B01.C01/2026/0000123?s=…</c> (86 characters of signature): the receipt's public
/// identity and the signature it was issued with, nothing personal. About 150 characters with the host: a QR code of
/// version 8–9 at error correction M.
/// </summary>
public static class ReceiptLinks
{
    public const string VerificationPrefix = "/bien-lai/xac-minh";

    public static string VerificationPath(IssuedPaymentReceipt issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        var n = issued.Receipt.Number;
        return $"{VerificationPrefix}/{Uri.EscapeDataString(n.OrgCode)}/{n.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{n.SequenceText}?s={Uri.EscapeDataString(issued.Signature)}";
    }

    /// <summary>The absolute address printed on the receipt: <see cref="ReceiptOptions.PublicBaseUrl"/>, else the address the request came to.</summary>
    public static string VerificationUrl(IssuedPaymentReceipt issued, HttpRequest request, ReceiptOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        string root = !string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? options.PublicBaseUrl.TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
        return root + VerificationPath(issued);
    }

    /// <summary>The PDF of a receipt for the pages (the session cookie authenticates it; <c>/api</c> paths take bearer tokens only).</summary>
    public static string PdfPagePath(IssuedPaymentReceipt issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return $"/bien-lai/{issued.ReceiptId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.pdf";
    }
}
