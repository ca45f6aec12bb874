namespace Fees.DemoData.Tests;

public sealed class BankAccountNameTests
{
    [Theory]
    [InlineData("Đảng ủy xã Tân Lập", "DANG UY XA TAN LAP")]
    [InlineData("Chi bộ Trường Trung học cơ sở Hòa Bình", "CHI BO TRUONG TRUNG HOC CO SO HOA BINH")]
    [InlineData("Đảng bộ Công ty cổ phần Điện lực Vĩnh Phước", "DANG BO CONG TY CO PHAN DIEN LUC VINH PHUOC")]
    [InlineData("Chi bộ Phòng Hậu cần - Kỹ thuật", "CHI BO PHONG HAU CAN KY THUAT")]
    [InlineData("Sở Văn hóa, Thể thao và Du lịch", "SO VAN HOA THE THAO VA DU LICH")]
    [InlineData("  Ưu   Ơn Ấy ", "UU ON AY")]
    public void From_StripsDiacritics_MapsDToD_AndUpperCases(string name, string expected) =>
        Assert.Equal(expected, BankAccountName.From(name));

    [Fact]
    public void From_HandlesDecomposedInput() =>
        Assert.Equal("DANG UY XA TAN LAP", BankAccountName.From("Đảng ủy xã Tân Lập".Normalize(System.Text.NormalizationForm.FormD)));
}
