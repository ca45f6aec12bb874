using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Time;

namespace Fees.DemoData.Tests;

/// <summary>The files import as they are: exactly the columns and value rules of CONTRACT.md §3.</summary>
public sealed partial class FormatTests
{
    private static GeneratedProvince P => GeneratedProvince.Default;

    [Fact]
    public void Headers_AreExactlyTheContracts()
    {
        Assert.Equal("code,name,kind,parent_code,setting,wage_region,bank_bin,bank_account,bank_account_name", P.OrgsHeader);
        Assert.Equal("member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on", P.MembersHeader);
        Assert.Equal("member_no,period,si_salary,si_benefit,pension", P.IncomeHeader);
        Assert.StartsWith(P.OrgsHeader + "\n", P.OrgsText, StringComparison.Ordinal);
        Assert.StartsWith(P.MembersHeader + "\n", P.MembersText, StringComparison.Ordinal);
        Assert.StartsWith(P.IncomeHeader + "\n", P.IncomeText, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRow_HasTheHeadersColumnCount()
    {
        Assert.All(P.Orgs, o => Assert.Equal(9, o.Columns));
        Assert.All(P.Members, m => Assert.Equal(8, m.Columns));
        Assert.All(P.Income, i => Assert.Equal(5, i.Columns));
    }

    [Fact]
    public void OrgCodes_AreUniqueAndWellFormed()
    {
        Assert.All(P.Orgs, o => Assert.Matches(CodePattern(), o.Code));
        Assert.Equal(P.Orgs.Count, P.Orgs.Select(o => o.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(P.Orgs, o => Assert.StartsWith(P.Generator.Options.ProvinceCode, o.Code, StringComparison.Ordinal));
    }

    [Fact]
    public void FirstRow_IsTheProvinceWithoutParent_AndEveryParentComesBeforeItsChild()
    {
        Assert.Equal("province", P.Orgs[0].Kind);
        Assert.Equal("", P.Orgs[0].ParentCode);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal) { [P.Orgs[0].Code] = P.Orgs[0].Kind };
        foreach (var org in P.Orgs.Skip(1))
        {
            Assert.True(seen.TryGetValue(org.ParentCode, out string? parentKind), $"{org.Code}: parent {org.ParentCode} not seen before");
            Assert.True(OrgCodes.TryParseKind(parentKind!, out var parent));
            Assert.True(OrgCodes.TryParseKind(org.Kind, out var child));
            Assert.True(parent.MayContain(child), $"{org.Code}: a {parentKind} may not contain a {org.Kind}");
            seen.Add(org.Code, org.Kind);
        }
    }

    [Fact]
    public void OrgValues_ComeFromTheContractsLists()
    {
        Assert.All(P.Orgs, o =>
        {
            Assert.True(OrgCodes.TryParseKind(o.Kind, out _), o.Kind);
            Assert.True(OrgCodes.TryParseSetting(o.Setting, out _), o.Setting);
            Assert.Contains(o.WageRegion, new[] { "1", "2", "3", "4" });
            Assert.False(string.IsNullOrWhiteSpace(o.Name));
        });
        Assert.Contains(P.Orgs, o => o.Kind == "upper" && o.Setting == "commune" && o.Name.StartsWith("Đảng ủy xã ", StringComparison.Ordinal));
        Assert.Contains(P.Orgs, o => o.Kind == "upper" && o.Setting == "commune" && o.Name.StartsWith("Đảng ủy phường ", StringComparison.Ordinal));
        foreach (string kind in new[] { "upper", "base_committee", "base_cell", "sub_committee", "cell" })
        {
            Assert.Contains(P.Orgs, o => o.Kind == kind);
        }
        foreach (string setting in new[] { "commune", "enterprise", "other" })
        {
            Assert.Contains(P.Orgs, o => o.Setting == setting);
        }
    }

    [Fact]
    public void BankColumns_UseRealBins_PlausibleAccounts_AndAsciiUpperCaseNames()
    {
        var real = new HashSet<string>(StringComparer.Ordinal)
        {
            "970436", "970415", "970418", "970405", "970422", "970407", "970416", "970432", "970403", "970449",
        };
        foreach (var o in P.Orgs.Where(o => o.BankBin.Length > 0))
        {
            Assert.Contains(o.BankBin, real);
            Assert.Matches(AccountPattern(), o.BankAccount);
            Assert.Matches(AccountNamePattern(), o.BankAccountName);
        }
        Assert.Equal(P.Orgs.Count(o => o.BankBin.Length > 0),
            P.Orgs.Select(o => (o.BankBin, o.BankAccount)).Where(a => a.BankBin.Length > 0).Distinct().Count());
        Assert.Equal("THANH UY HA NOI", P.Orgs[0].BankAccountName);
    }

    [Fact]
    public void AFewOrganizations_HaveNoBankAccount_AllThreeColumnsEmpty()
    {
        var without = P.Orgs.Where(o => o.BankBin.Length == 0 || o.BankAccount.Length == 0 || o.BankAccountName.Length == 0).ToList();
        Assert.True(without.Count >= 2, $"only {without.Count}");
        Assert.True(without.Count <= Math.Max(2, P.Orgs.Count * 3 / 100), $"{without.Count} of {P.Orgs.Count}");
        Assert.All(without, o => Assert.Equal(("", "", ""), (o.BankBin, o.BankAccount, o.BankAccountName)));
    }

    [Fact]
    public void Members_BelongToExistingMemberHoldingOrganizations()
    {
        var kinds = P.Orgs.ToDictionary(o => o.Code, o => o.Kind, StringComparer.Ordinal);
        Assert.All(P.Members, m =>
        {
            Assert.True(kinds.TryGetValue(m.OrgCode, out string? kind), m.OrgCode);
            Assert.Contains(kind, new[] { "cell", "base_cell" });
        });
        // Every member-holding organization has at least three members, as the charter requires of a cell.
        var sizes = P.Members.GroupBy(m => m.OrgCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.All(P.Orgs.Where(o => o.Kind is "cell" or "base_cell"), o => Assert.True(sizes.GetValueOrDefault(o.Code) >= 3, o.Code));
    }

    [Fact]
    public void MemberNumbers_AreUniqueShortAndDigits()
    {
        Assert.All(P.Members, m => Assert.Matches(MemberNoPattern(), m.MemberNo));
        Assert.Equal(P.Members.Count, P.Members.Select(m => m.MemberNo).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void MemberValues_ComeFromTheContractsLists_AndDatesAreValid()
    {
        DateOnly asOf = P.Generator.Options.AsOf;
        Assert.All(P.Members, m =>
        {
            Assert.True(MemberCodes.TryParseStatus(m.Status, out _), m.Status);
            Assert.True(MemberCodes.TryParseCategory(m.Category, out _), m.Category);
            Assert.True(MemberCodes.TryParseSex(m.Sex, out _), m.Sex);
            Assert.Matches(DatePattern(), m.BirthDate);
            Assert.Matches(DatePattern(), m.PartyJoinedOn);
            var birth = GeneratedProvince.Date(m.BirthDate);
            var joined = GeneratedProvince.Date(m.PartyJoinedOn);
            Assert.InRange(birth, new DateOnly(1935, 1, 1), new DateOnly(2004, 12, 31));
            Assert.InRange(joined, birth.AddYears(18), birth.AddYears(45));
            Assert.True(joined < asOf, $"{m.MemberNo} joined {m.PartyJoinedOn}");
            bool recent = joined >= asOf.AddMonths(-12);
            Assert.Equal(recent ? "probationary" : "official", m.Status);
        });
    }

    [Fact]
    public void FullNames_AreVietnameseWithDiacritics_InNfc()
    {
        Assert.All(P.Members, m =>
        {
            Assert.True(m.FullName.IsNormalized(NormalizationForm.FormC), m.FullName);
            Assert.InRange(m.FullName.Split(' ').Length, 3, 4);
        });
        Assert.All(P.Orgs, o => Assert.True(o.Name.IsNormalized(NormalizationForm.FormC), o.Name));
        Assert.All(P.Members, m =>
        {
            string[] parts = m.FullName.Split(' ');
            Assert.NotEqual(parts[0], parts[^1]);
            Assert.NotEqual(parts[^2], parts[^1]);
        });
        Assert.Contains(P.Members, m => m.FullName.StartsWith("Nguyễn ", StringComparison.Ordinal));
        Assert.Contains(P.Members, m => m.FullName.Contains(" Thị ", StringComparison.Ordinal));
    }

    [Fact]
    public void IncomeRows_ReferToMembers_InTheRange_WithWholeDongAmounts()
    {
        var options = P.Generator.Options;
        var categories = P.Members.ToDictionary(m => m.MemberNo, m => m.Category, StringComparer.Ordinal);
        var keys = new HashSet<(string, string)>();
        Assert.All(P.Income, i =>
        {
            Assert.True(categories.TryGetValue(i.MemberNo, out string? category), i.MemberNo);
            Assert.True(Period.TryParse(i.Period, out var period), i.Period);
            Assert.True(period >= options.FirstIncomePeriod && period <= options.LastIncomePeriod, i.Period);
            Assert.True(keys.Add((i.MemberNo, i.Period)), $"duplicate {i.MemberNo} {i.Period}");
            string[] amounts = [i.SiSalary, i.SiBenefit, i.Pension];
            Assert.Single(amounts, a => a.Length > 0);
            Assert.All(amounts.Where(a => a.Length > 0), a => Assert.Matches(AmountPattern(), a));
            string filled = category switch
            {
                "si" => i.SiSalary,
                "si_benefit" => i.SiBenefit,
                "pensioner" => i.Pension,
                _ => throw new InvalidOperationException($"income for a {category} member"),
            };
            Assert.NotEqual("", filled);
        });
    }

    [Fact]
    public void Amounts_AreRealistic()
    {
        foreach (var i in P.Income)
        {
            if (i.SiSalary.Length > 0)
            {
                // Never below the region I minimum wage (5,310,000 from 1/1/2026).
                Assert.InRange(long.Parse(i.SiSalary, CultureInfo.InvariantCulture), 5_310_000L, 40_000_000L);
            }
            if (i.Pension.Length > 0)
            {
                Assert.InRange(long.Parse(i.Pension, CultureInfo.InvariantCulture), 3_000_000L, 15_000_000L);
            }
            if (i.SiBenefit.Length > 0)
            {
                Assert.InRange(long.Parse(i.SiBenefit, CultureInfo.InvariantCulture), 3_000_000L, 40_000_000L);
            }
        }
        // The civil-service scale's first step: coefficient 2.34 × 2,340,000 (fee-rules §8, worked number 1).
        Assert.Contains(P.Income, i => i.SiSalary == "5475600");
    }

    [Fact]
    public void Files_HaveNoCarriageReturns()
    {
        Assert.DoesNotContain('\r', P.OrgsText);
        Assert.DoesNotContain('\r', P.MembersText);
        Assert.DoesNotContain('\r', P.IncomeText);
    }

    [GeneratedRegex("^[A-Z0-9._-]{1,30}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[0-9]{9,14}$")]
    private static partial Regex AccountPattern();

    [GeneratedRegex("^[A-Z0-9]+( [A-Z0-9]+)*$")]
    private static partial Regex AccountNamePattern();

    [GeneratedRegex("^[0-9]{1,20}$")]
    private static partial Regex MemberNoPattern();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex DatePattern();

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex AmountPattern();
}
