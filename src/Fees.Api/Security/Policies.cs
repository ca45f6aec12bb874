using Fees.Domain.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Fees.Api.Security;

/// <summary>
/// Every endpoint names one of these. The fallback policy (any signed-in user) covers anything that forgets, and only
/// <c>AllowAnonymous</c> endpoints (health, OpenAPI, sign-in, bank feeds, receipt verification) go without.
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in user (every role); what the endpoint returns is then filtered by scope.</summary>
    public const string SignedIn = "signed-in";
    public const string Admin = "admin";
    /// <summary>Treasurer, office, auditor, admin: the organization pages and reads.</summary>
    public const string Staff = "staff";
    /// <summary>Who records decisions about members' dues: treasurers, office staff, admins (auditors only read).</summary>
    public const string Recorders = "recorders";
    /// <summary>Who imports, generates and moves members: office staff and admins.</summary>
    public const string Importers = "importers";
    public const string Auditors = "auditors";
    /// <summary>Who reads an import run's progress (the one who started it, or an auditor over its scope): office staff, auditors, admins.</summary>
    public const string ImportRunReaders = "import-run-readers";
    /// <summary>Who handles an organization's money by hand (allocate, refund, cash, deposits): treasurers and admins.</summary>
    public const string Treasurers = "treasurers";
    /// <summary>Office staff and admins: waivers, cadences and other decisions of the party office (văn phòng cấp ủy).</summary>
    public const string Office = "office";
    /// <summary>Who exports an organization's journal: auditors, office staff, admins.</summary>
    public const string JournalReaders = "journal-readers";
    /// <summary>Members acting on their own records (declaring their income); the endpoint checks it is their own.</summary>
    public const string Members = "members";

    public static AuthorizationBuilder AddFeesPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var signedIn = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        return builder
            .SetFallbackPolicy(signedIn)
            .AddPolicy(SignedIn, signedIn)
            .AddPolicy(Admin, p => p.RequireRole(RoleCodes.Admin))
            .AddPolicy(Staff, p => p.RequireRole(RoleCodes.Treasurer, RoleCodes.Office, RoleCodes.Auditor, RoleCodes.Admin))
            .AddPolicy(Recorders, p => p.RequireRole(RoleCodes.Treasurer, RoleCodes.Office, RoleCodes.Admin))
            .AddPolicy(Importers, p => p.RequireRole(RoleCodes.Office, RoleCodes.Admin))
            .AddPolicy(Office, p => p.RequireRole(RoleCodes.Office, RoleCodes.Admin))
            .AddPolicy(ImportRunReaders, p => p.RequireRole(RoleCodes.Office, RoleCodes.Auditor, RoleCodes.Admin))
            .AddPolicy(Auditors, p => p.RequireRole(RoleCodes.Auditor, RoleCodes.Admin))
            .AddPolicy(Treasurers, p => p.RequireRole(RoleCodes.Treasurer, RoleCodes.Admin))
            .AddPolicy(JournalReaders, p => p.RequireRole(RoleCodes.Auditor, RoleCodes.Office, RoleCodes.Admin))
            .AddPolicy(Members, p => p.RequireRole(RoleCodes.Member));
    }
}
