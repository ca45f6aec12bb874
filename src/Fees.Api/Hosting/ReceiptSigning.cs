using System.ComponentModel.DataAnnotations;
using Fees.Api.Hosting.Embedded;
using Fees.Domain.Receipts;
using Fees.Persistence.Receipts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fees.Api.Hosting;

/// <summary>Receipt settings (section <c>Fees</c>).</summary>
public sealed class ReceiptOptions
{
    /// <summary>
    /// The ECDSA P-256 private key receipts are signed with, PEM (<c>Fees:ReceiptSigningKey</c>). Unset: the key in
    /// the data directory (<see cref="ReceiptSigning.KeyFileName"/>), generated on first start.
    /// </summary>
    public string? ReceiptSigningKey { get; set; }

    /// <summary>
    /// The address the public reaches the service at, e.g. <c>https://dangphi.example.vn</c> (<c>Fees:PublicBaseUrl</c>):
    /// the start of every verification address printed on a receipt. Unset: the address the request came to.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }
}

/// <summary>The service's receipt signing key: configured, or kept in the data directory (mode 600) and made on first start.</summary>
public static class ReceiptSigning
{
    public const string KeyFileName = "receipt-signing-key.pem";

    public static IServiceCollection AddReceiptSigning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReceiptOptions>().Bind(configuration.GetSection(FeesOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => Load(sp.GetRequiredService<IOptions<FeesOptions>>().Value, sp.GetRequiredService<IOptions<ReceiptOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReceiptSigning))));
        // Load (or make) the key at start: a bad configured key stops the service now, not at the first payment.
        services.AddHostedService<KeyAtStart>();
        return services;
    }

    internal static ReceiptSigningKey Load(FeesOptions fees, ReceiptOptions receipts, ILogger log)
    {
        ReceiptSigningKey key;
        if (!string.IsNullOrWhiteSpace(receipts.ReceiptSigningKey))
        {
            key = ReceiptSigningKey.FromPem(receipts.ReceiptSigningKey);
            log.LogInformation("Receipts are signed with the configured key {KeyId}", key.KeyId);
            return key;
        }
        string path = Path.Combine(fees.DataDirectory, KeyFileName);
        if (!File.Exists(path))
        {
            Create(path);
            log.LogInformation("Made a new receipt signing key in {Path}", path);
        }
        FileModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        key = ReceiptSigningKey.FromPem(File.ReadAllText(path));
        log.LogInformation("Receipts are signed with key {KeyId}; its public key:{NewLine}{PublicKey}", key.KeyId, Environment.NewLine, key.PublicKeyPem);
        return key;
    }

    /// <summary>Writes a new key beside <paramref name="path"/> (mode 600 from the start) and moves it in unless another start got there first.</summary>
    private static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = ReceiptSigningKey.Generate();
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new StreamWriter(new FileStream(temporary, options)))
        {
            file.Write(key.ExportPrivateKeyPem());
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The key id of the newest biên lai in the database, or null when there is none.</summary>
    public static async Task<string?> NewestKeyId(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("select key_id from payment_receipts order by id desc limit 1");
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>
    /// Loads the key at start and registers its public key (<see cref="ReceiptKeys"/>), so the biên lai it signs verify
    /// on every instance; says so when the newest biên lai in the database was signed with another key (another
    /// instance with a key of its own, or a replaced key), which stays verifiable through its registration.
    /// </summary>
    private sealed class KeyAtStart(ReceiptKeys keys, NpgsqlDataSource dataSource, ILoggerFactory logs) : IHostedService
    {
        private readonly ILogger _log = logs.CreateLogger(typeof(ReceiptSigning));

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            string? newest;
            try
            {
                await keys.EnsureRegistered(cancellationToken);
                newest = await NewestKeyId(dataSource, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                _log.LogWarning(e, "Could not register the receipt signing key at start; it is registered before the first biên lai");
                return;
            }
            if (newest is not null && newest != keys.Signing.KeyId)
            {
                _log.LogInformation("The newest biên lai in the database was signed with key {NewestKeyId}, this instance signs with {KeyId}: " +
                    "biên lai of both verify on every instance through their registered public keys", newest, keys.Signing.KeyId);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
