using System.Security.Cryptography;
using Fees.Domain.Amounts;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fees.Domain.Tests.Receipts;

/// <summary>The receipt as a document: its number, the canonical text its signature covers, and the signature itself.</summary>
public sealed class PaymentReceiptTests
{
    private static readonly ReceiptSigningKey Key = ReceiptSigningKey.Generate();

    internal static PaymentReceipt Sample(int sequence = 123, string memberName = "Trịnh Minh Hồng", long credit = 0) =>
        PaymentReceipt.Create(ReceiptNumber.Of("HN.X001.B01.C01", 2026, sequence), "Chi bộ Thôn Đông", "Đảng ủy xã An Hòa",
            "0175365500", memberName,
            [new PeriodPayment(Period.Of(2026, 8), Money.Vnd(27_378)), new PeriodPayment(Period.Of(2026, 9), Money.Vnd(27_378))],
            Money.Vnd(credit), PaymentMethod.Bank, PaymentMethodCodes.SystemCollector, new DateOnly(2026, 12, 2),
            new DateTimeOffset(2026, 12, 2, 3, 0, 0, 123, TimeSpan.Zero));

    [Fact]
    public void Number_PrintsSevenDigitsYearAndOrganization()
    {
        Assert.Equal("0000123/2026/HN.X001.B01.C01", ReceiptNumber.Of("HN.X001.B01.C01", 2026, 123).ToString());
        Assert.Equal("12345678/2027/HN", ReceiptNumber.Of("HN", 2027, 12_345_678).ToString());
    }

    [Theory]
    [InlineData("0000123", true, 123)]
    [InlineData("12345678", true, 12_345_678)]
    [InlineData("123", false, 0)]
    [InlineData("00000123", false, 0)]
    [InlineData("0000000", false, 0)]
    [InlineData("000012a", false, 0)]
    [InlineData("+000123", false, 0)]
    [InlineData("٠٠٠٠١٢٣", false, 0)]
    [InlineData("99999999999", false, 0)]
    [InlineData(null, false, 0)]
    public void TryParseSequence_ReadsOnlyThePrintedForm(string? text, bool ok, int sequence)
    {
        Assert.Equal(ok, ReceiptNumber.TryParseSequence(text, out int read));
        Assert.Equal(sequence, read);
    }

    [Fact]
    public void Receipt_AddsItsPeriodsAndCredit_AndWritesTheAmountInWords()
    {
        var receipt = Sample(credit: 1_000);
        Assert.Equal(Money.Vnd(55_756), receipt.Amount);
        Assert.Equal("Năm mươi lăm nghìn bảy trăm năm mươi sáu đồng", receipt.AmountInWords);
        Assert.Equal(0, receipt.IssuedAt.Millisecond);
    }

    [Fact]
    public void Receipt_RefusesWhatIsNoReceipt()
    {
        var number = ReceiptNumber.Of("HN", 2026, 1);
        var day = new DateOnly(2026, 12, 2);
        Assert.Throws<ArgumentException>(() => PaymentReceipt.Create(number, "Chi bộ", null, "1", "A", [], Money.Zero, PaymentMethod.Bank, "x", day, default));
        Assert.Throws<ArgumentException>(() => PaymentReceipt.Create(number, "Chi bộ", null, "1", "A",
            [new PeriodPayment(Period.Of(2026, 9), Money.Vnd(1)), new PeriodPayment(Period.Of(2026, 8), Money.Vnd(1))], Money.Zero, PaymentMethod.Bank, "x", day, default));
        Assert.Throws<ArgumentException>(() => PaymentReceipt.Create(number, " ", null, "1", "A", [], Money.Vnd(5), PaymentMethod.Bank, "x", day, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReceiptNumber.Of("HN", 2026, 0));
    }

    [Fact]
    public void CanonicalText_ListsEveryPrintedFact_InVietnamTime()
    {
        string text = Sample().CanonicalText();
        Assert.Equal("""
            bien-lai-dang-phi/1
            number=0000123/2026/HN.X001.B01.C01
            org_code=HN.X001.B01.C01
            org_name=Chi bộ Thôn Đông
            parent_org_name=Đảng ủy xã An Hòa
            year=2026
            sequence=123
            member_no=0175365500
            member_name=Trịnh Minh Hồng
            amount=54756
            periods=2026-08=27378;2026-09=27378
            credit=0
            method=bank
            collector=Hệ thống thu đảng phí
            collected_on=2026-12-02
            issued_at=2026-12-02T10:00:00+07:00

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
    }

    [Fact]
    public void CanonicalText_EscapesLineBreaks_SoNoValueCanForgeAnotherLine()
    {
        string text = Sample(memberName: "A\namount=1").CanonicalText();
        Assert.Contains(@"member_name=A\namount=1", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.StartsWith("amount=", StringComparison.Ordinal));
    }

    [Fact]
    public void CanonicalText_IsTheSameForComposedAndDecomposedVietnamese()
    {
        string composed = "Trịnh Minh Hồng";
        string decomposed = composed.Normalize(System.Text.NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);
        Assert.Equal(Sample(memberName: composed).CanonicalText(), Sample(memberName: decomposed).CanonicalText());
    }

    [Fact]
    public void Signature_OfTheReceipt_Verifies_AndIs86Characters()
    {
        var receipt = Sample();
        string signature = Key.Sign(receipt);
        Assert.Equal(ReceiptSigningKey.SignatureLength, signature.Length);
        Assert.Matches("^[A-Za-z0-9_-]{86}$", signature);
        Assert.True(Key.Verify(receipt, signature));
    }

    /// <summary>Law: a receipt whose sequence differs in one digit is not what the signature signed.</summary>
    [Property(MaxTest = 50)]
    public Property Signature_FailsForAnyOtherSequence(PositiveInt other)
    {
        int sequence = other.Get % 9_999_999 + 1;
        var signature = Key.Sign(Sample(123));
        return (sequence == 123 || !Key.Verify(Sample(sequence), signature)).Label(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Signature_FailsWhenAnyPrintedFactChanges()
    {
        var receipt = Sample();
        string signature = Key.Sign(receipt);
        Assert.False(Key.Verify(Sample(memberName: "Trịnh Minh Hông"), signature));
        Assert.False(Key.Verify(Sample(credit: 1), signature));
        Assert.False(Key.Verify(Sample(124), signature));
    }

    [Fact]
    public void ForgedOrMalformedSignatures_AreRefused()
    {
        var receipt = Sample();
        string signature = Key.Sign(receipt);
        char[] flipped = signature.ToCharArray();
        flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
        Assert.False(Key.Verify(receipt, new string(flipped)));
        using var other = ReceiptSigningKey.Generate();
        Assert.False(Key.Verify(receipt, other.Sign(receipt)));
        Assert.False(Key.Verify(receipt, null));
        Assert.False(Key.Verify(receipt, ""));
        Assert.False(Key.Verify(receipt, new string('A', 86)));
        Assert.False(Key.Verify(receipt, signature + "A"));
        Assert.False(Key.Verify(receipt, signature[..85] + "="));
        Assert.False(Key.Verify(receipt, signature.Replace('-', '+').Replace('_', '/')) && signature.Contains('-', StringComparison.Ordinal));
    }

    [Fact]
    public void Key_RoundTripsThroughPem_AndKeepsItsId()
    {
        var receipt = Sample();
        string signature = Key.Sign(receipt);
        using var again = ReceiptSigningKey.FromPem(Key.ExportPrivateKeyPem());
        Assert.Equal(Key.KeyId, again.KeyId);
        Assert.Equal(16, again.KeyId.Length);
        Assert.True(again.Verify(receipt, signature));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", again.PublicKeyPem, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_OnAnotherCurve_OrNotAKey_IsRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<ArgumentException>(() => ReceiptSigningKey.FromPem(p384.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<ArgumentException>(() => ReceiptSigningKey.FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
        Assert.Throws<ArgumentException>(() => ReceiptSigningKey.FromPem("not a key"));
    }

    [Fact]
    public void PublicKey_VerifiesWhatItsKeySigned_KeepsItsId_AndRoundTripsThroughPem()
    {
        var receipt = Sample();
        string signature = Key.Sign(receipt);
        Assert.True(Key.PublicKey.Verify(receipt, signature));
        using var again = ReceiptPublicKey.FromPem(Key.PublicKeyPem);
        Assert.Equal(Key.KeyId, again.KeyId);
        Assert.Equal(Key.PublicKeyPem, again.PublicKeyPem);
        Assert.True(again.Verify(receipt, signature));
        using var other = ReceiptSigningKey.Generate();
        Assert.NotEqual(Key.KeyId, other.KeyId);
        Assert.False(other.PublicKey.Verify(receipt, signature));
    }

    [Fact]
    public void PublicKey_OnAnotherCurve_NotAKey_OrTooLong_IsRefused()
    {
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        Assert.Throws<ArgumentException>(() => ReceiptPublicKey.FromPem(p384.ExportSubjectPublicKeyInfoPem()));
        Assert.Throws<ArgumentException>(() => ReceiptPublicKey.FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
        Assert.Throws<ArgumentException>(() => ReceiptPublicKey.FromPem("not a key"));
        Assert.Throws<ArgumentException>(() => ReceiptPublicKey.FromPem(Key.PublicKeyPem + new string(' ', ReceiptPublicKey.MaxPemLength)));
    }
}
