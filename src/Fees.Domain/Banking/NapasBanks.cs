using System.Diagnostics.CodeAnalysis;

namespace Fees.Domain.Banking;

/// <summary>
/// A bank (or e-wallet) reachable through NAPAS 247, identified by its 6-digit BIN, the code carried in
/// VietQR tag 38.01.00.
/// </summary>
/// <param name="Bin">The 6-digit NAPAS BIN (<c>970436</c>).</param>
/// <param name="ShortName">The name people use (<c>Vietcombank</c>).</param>
/// <param name="Name">The legal name in Vietnamese.</param>
/// <param name="FormerName">The short name before a rename (<c>LienVietPostBank</c>), or <see langword="null"/>.</param>
public sealed record NapasBank(string Bin, string ShortName, string Name, string? FormerName);

/// <summary>
/// The NAPAS BIN registry: the State Bank list (SBV letter 1589/NHNN-TT, BINs as of 31/12/2023) for the banks in
/// <c>research/vietqr-bank.md</c> §2, plus the codes only VietQR lists carry (digital banks, foreign branches, MoMo).
/// </summary>
/// <remarks>
/// Key on the BIN, never on a bank's text code: providers disagree on those (VietinBank is <c>ICB</c> in VietQR
/// lists and <c>VTB</c> elsewhere). A bank may have more than one BIN (CIMB: <c>970459</c> in the SBV list,
/// <c>422589</c> in VietQR lists); both resolve to the same bank.
/// </remarks>
public static class NapasBanks
{
    /// <summary>Every known BIN, one entry per BIN, in the order of the research list.</summary>
    public static IReadOnlyList<NapasBank> All { get; } =
    [
        // Big banks (SBV list).
        new("970436", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam", null),
        new("970415", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam", null),
        new("970418", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam", null),
        new("970405", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam", null),
        new("970422", "MB", "Ngân hàng TMCP Quân đội", null),
        new("970407", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam", null),
        new("970416", "ACB", "Ngân hàng TMCP Á Châu", null),
        new("970432", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng", null),
        new("970423", "TPBank", "Ngân hàng TMCP Tiên Phong", null),
        new("970403", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín", null),
        new("970437", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh", null),
        new("970441", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam", null),
        new("970443", "SHB", "Ngân hàng TMCP Sài Gòn - Hà Nội", null),
        new("970440", "SeABank", "Ngân hàng TMCP Đông Nam Á", null),
        new("970448", "OCB", "Ngân hàng TMCP Phương Đông", null),
        new("970426", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam", null),
        new("970431", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam", null),
        new("970449", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam", "LienVietPostBank"),

        // Other SBV-listed banks.
        new("970454", "BVBank", "Ngân hàng TMCP Bản Việt", "Viet Capital Bank"),
        new("970425", "ABBANK", "Ngân hàng TMCP An Bình", null),
        new("970428", "Nam A Bank", "Ngân hàng TMCP Nam Á", null),
        new("970419", "NCB", "Ngân hàng TMCP Quốc Dân", null),
        new("970412", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam", null),
        new("970400", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương", null),
        new("970429", "SCB", "Ngân hàng TMCP Sài Gòn", null),
        new("970409", "Bac A Bank", "Ngân hàng TMCP Bắc Á", null),
        new("970452", "Kienlongbank", "Ngân hàng TMCP Kiên Long", null),
        new("970438", "BaoViet Bank", "Ngân hàng TMCP Bảo Việt", null),
        new("970424", "Shinhan Bank", "Ngân hàng TNHH MTV Shinhan Việt Nam", null),
        new("970457", "Woori Bank", "Ngân hàng TNHH MTV Woori Việt Nam", null),
        new("970414", "MBV", "Ngân hàng TNHH MTV Việt Nam Hiện Đại", "OceanBank"),
        new("970406", "Vikki Bank", "Ngân hàng TNHH MTV Số Vikki", "DongA Bank"),
        new("970459", "CIMB", "Ngân hàng TNHH MTV CIMB Việt Nam", null),

        // Codes found only in VietQR bank lists (vietnam-qr-pay banks.ts), not in the SBV letter.
        new("422589", "CIMB", "Ngân hàng TNHH MTV CIMB Việt Nam", null),
        new("546034", "Cake", "Ngân hàng số CAKE by VPBank", null),
        new("546035", "Ubank", "Ngân hàng số Ubank by VPBank", null),
        new("963388", "Timo", "Ngân hàng số Timo by BVBank", null),
        new("963369", "Liobank", "Ngân hàng số Liobank by OCB", null),
        new("668888", "KBank", "Ngân hàng Đại chúng TNHH Kasikornbank - Chi nhánh TP. Hồ Chí Minh", null),
        new("458761", "HSBC", "Ngân hàng TNHH MTV HSBC (Việt Nam)", null),
        new("796500", "DBS", "DBS Bank Ltd - Chi nhánh TP. Hồ Chí Minh", null),
        new("971025", "MoMo", "Công ty CP Dịch vụ Di động Trực tuyến (ví MoMo)", null),
    ];

    private static readonly Dictionary<string, NapasBank> ByBin = All.ToDictionary(b => b.Bin, StringComparer.Ordinal);

    /// <summary>Finds the bank with exactly this 6-digit BIN (no trimming, no padding).</summary>
    public static bool TryFind(string bin, [NotNullWhen(true)] out NapasBank? bank)
    {
        if (bin is null)
        {
            bank = null;
            return false;
        }
        return ByBin.TryGetValue(bin, out bank);
    }
}
