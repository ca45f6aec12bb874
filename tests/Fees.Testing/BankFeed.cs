using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fees.BankGateway.Providers;
using Fees.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Testing;

/// <summary>An organization's account as the bank feeds name it.</summary>
public sealed record OrgAccount(long OrgId, string Code, string Bin, string Number);

/// <summary>Sends bank notifications to the service under test, signed as the providers sign them.</summary>
public static class BankFeed
{
    private static long _next;

    /// <summary>A transaction id no other test uses.</summary>
    public static string NewTransactionId(string prefix = "FT") =>
        prefix + Interlocked.Increment(ref _next).ToString("D8", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    public static async Task<OrgAccount> Account(this FeesApp app, string orgCode) =>
        await app.WithScopeAsync(async s =>
        {
            var o = await s.GetRequiredService<FeesDbContext>().Orgs.AsNoTracking().SingleAsync(x => x.Code == orgCode);
            return new OrgAccount(o.Id, o.Code, o.BankBin!, o.BankAccount!);
        });

    /// <summary>The generic body of the contract, as JSON text.</summary>
    public static string GenericBody(string transactionId, OrgAccount to, long amount, string content, DateTimeOffset bookedAt,
        string? counterpartyName = null, string? bankReference = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["transactionId"] = transactionId,
            ["bankBin"] = to.Bin,
            ["accountNumber"] = to.Number,
            ["amount"] = amount,
            ["content"] = content,
            ["bookedAt"] = bookedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["counterpartyName"] = counterpartyName,
            ["bankReference"] = bankReference,
        });

    /// <summary>POSTs a generic notification signed with <paramref name="secret"/> (the app's by default).</summary>
    public static Task<HttpResponseMessage> PostGeneric(this HttpClient client, string body, string secret = FeesApp.GenericSecret)
    {
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.Add(GenericSignature.HeaderName, GenericSignature.Sign(secret, Encoding.UTF8.GetBytes(body)));
        return client.PostAsync("/api/bank/notifications/generic", content);
    }

    /// <summary>Sends one generic credit and reads the answer.</summary>
    public static async Task<(HttpResponseMessage Response, JsonElement Body)> Pay(this FeesApp app, OrgAccount to, long amount, string content,
        string? transactionId = null, string? counterpartyName = null)
    {
        using var client = app.CreateClient();
        var response = await client.PostGeneric(GenericBody(transactionId ?? NewTransactionId(), to, amount, content, app.Clock.GetUtcNow(), counterpartyName));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response, body);
    }
}
