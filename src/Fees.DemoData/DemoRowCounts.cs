namespace Fees.DemoData;

/// <summary>Data rows written per file (header rows not counted).</summary>
public readonly record struct DemoRowCounts(int Orgs, long Members, long IncomeRows);
