using Fees.Domain.Banking;
using Fees.Domain.Text;

namespace Fees.Domain.Tests.Banking;

public class BankAccountTests
{
    [Theory]
    [InlineData("0071000962707")]
    [InlineData("99ZP24009M07248267")]
    [InlineData("1")]
    [InlineData("1234567890123456789")]
    public void AccountNumber_AcceptsDigitsAndUpperCase(string text)
    {
        Assert.True(BankAccountNumber.TryCreate(text, out var number, out string? error), error);
        Assert.Equal(text, number.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("12345678901234567890")]
    [InlineData("99zp24009m07248267")]
    [InlineData("0071 000 962 707")]
    [InlineData("0071-000962707")]
    [InlineData("００７１")]
    public void AccountNumber_RefusesAnythingElse_InVietnamese(string? text)
    {
        Assert.False(BankAccountNumber.TryCreate(text, out var number, out string? error));
        Assert.Null(number);
        Assert.Equal("Số tài khoản chỉ gồm chữ số và chữ in hoa, tối đa 19 ký tự", error);
    }

    [Fact]
    public void AccountNumber_MasksAllButTheLastFour() =>
        Assert.Equal("*********2707", BankAccountNumber.Create("0071000962707").Masked);

    [Theory]
    [InlineData("CHI BO KHU PHO 3")]
    [InlineData("DANG UY XA PHU VANG")]
    [InlineData("CONG TY TNHH A.B-C (HUE), 'X' & Y/Z")]
    public void AccountName_AcceptsBankPrintedNames(string text)
    {
        Assert.True(BankAccountName.TryCreate(text, out var name, out string? error), error);
        Assert.Equal(text, name.Value);
    }

    [Theory]
    [InlineData("CHI BỘ KHU PHỐ 3", BankAccountName.ErrorCharacters)]
    [InlineData("Chi bo khu pho 3", BankAccountName.ErrorCharacters)]
    [InlineData("CHI BO #3", BankAccountName.ErrorCharacters)]
    [InlineData("   ", BankAccountName.ErrorEmpty)]
    [InlineData("", BankAccountName.ErrorEmpty)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", BankAccountName.ErrorTooLong)]
    public void AccountName_RefusesOtherText_InVietnamese(string text, string expectedError)
    {
        Assert.False(BankAccountName.TryCreate(text, out _, out string? error));
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void StripDiacritics_GivesTheBankForm()
    {
        string plain = VietnameseText.StripDiacritics("Chi bộ Khu phố 3 – Đảng ủy phường Thuận Hóa").ToUpperInvariant();
        Assert.Equal("CHI BO KHU PHO 3 – DANG UY PHUONG THUAN HOA", plain);
    }
}
