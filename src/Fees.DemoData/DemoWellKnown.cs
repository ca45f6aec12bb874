namespace Fees.DemoData;

/// <summary>
/// Deterministic landmarks of a generated province, for the README, demo users and tests. All codes and numbers
/// appear in the generated files.
/// </summary>
/// <param name="ProvinceCode">The province committee (root of the orgs file): for the auditor.</param>
/// <param name="CommuneCommitteeCode">A commune-level committee (<c>upper</c>, setting <c>commune</c>): for the office user.</param>
/// <param name="CellCode">A cell (<c>cell</c>) under a base committee of that commune: for the treasurer.</param>
/// <param name="SiblingCellCode">Another cell under the same parent as <see cref="CellCode"/>.</param>
/// <param name="CellMemberNo">A member of <see cref="CellCode"/>: category <c>si</c>, income for every period, under 50 party years.</param>
/// <param name="CellTreasurerMemberNo">Another member of <see cref="CellCode"/>, to act as its treasurer.</param>
/// <param name="SiblingCellMemberNo">A member of <see cref="SiblingCellCode"/>.</param>
/// <param name="OrgWithoutBankAccountCode">An organization with empty bank columns (readiness report).</param>
/// <param name="FiftyYearMemberNo">A member who joined the party 50 or more years before <see cref="DemoProvinceOptions.AsOf"/>.</param>
/// <param name="SiMemberWithoutIncomeNo">A <c>si</c> member with no income rows at all (awaiting data).</param>
public sealed record DemoWellKnown(
    string ProvinceCode,
    string CommuneCommitteeCode,
    string CellCode,
    string SiblingCellCode,
    string CellMemberNo,
    string CellTreasurerMemberNo,
    string SiblingCellMemberNo,
    string OrgWithoutBankAccountCode,
    string FiftyYearMemberNo,
    string SiMemberWithoutIncomeNo);
