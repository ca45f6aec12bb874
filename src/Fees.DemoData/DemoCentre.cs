namespace Fees.DemoData;

/// <summary>
/// The centre the demo province remits to: one organization of kind <c>central</c> with a bank account, imported before
/// the province (whose <see cref="DemoProvinceOptions.ParentCode"/> names it). It stands for the central office that
/// receives the provinces' share (Văn phòng Trung ương Đảng); its account is the demo's, not a real one.
/// </summary>
public static class DemoCentre
{
    public const string Code = "TW";
    public const string Name = "Văn phòng Trung ương Đảng";

    /// <summary>VietinBank's NAPAS BIN; the account number is made up for the demo.</summary>
    public const string BankBin = "970415";
    public const string BankAccount = "100000000001";
    public const string BankAccountName = "VAN PHONG TRUNG UONG DANG";

    /// <summary>Writes the one-row orgs file of the centre (the same header as the province's).</summary>
    public static void WriteOrgs(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(DemoProvinceGenerator.OrgsHeader);
        Csv.EndRow(writer);
        writer.Write($"{Code},{Name},central,,other,1,{BankBin},{BankAccount},{BankAccountName}");
        Csv.EndRow(writer);
    }
}
