using System.Collections.Concurrent;
using Fees.Domain.Receipts;
using Npgsql;

namespace Fees.Persistence.Receipts;

/// <summary>
/// Every key biên lai have been signed with, by key id (<c>receipt_signing_keys</c>, append-only): this instance's
/// signing key is registered before its first biên lai (a foreign key holds every new biên lai to a registered key),
/// and a biên lai is checked with the public key it names. So a biên lai verifies on every instance of the service,
/// whichever signed it, and still verifies after the signing key is replaced.
/// </summary>
public sealed class ReceiptKeys(NpgsqlDataSource dataSource, ReceiptSigningKey signing) : IDisposable
{
    private readonly ConcurrentDictionary<string, ReceiptPublicKey> _known = new(StringComparer.Ordinal) { [signing.KeyId] = signing.PublicKey };
    private readonly SemaphoreSlim _registering = new(1, 1);
    private volatile bool _registered;

    /// <summary>The key this instance signs with.</summary>
    public ReceiptSigningKey Signing => signing;

    /// <summary>
    /// Stores this instance's public key under its id, once per process (an idempotent insert, safe however many
    /// instances start at once), committed on a connection of its own before any biên lai names it.
    /// </summary>
    public async Task EnsureRegistered(CancellationToken ct)
    {
        if (_registered)
        {
            return;
        }
        await _registering.WaitAsync(ct);
        try
        {
            if (_registered)
            {
                return;
            }
            await using var cmd = dataSource.CreateCommand("""
                insert into receipt_signing_keys (key_id, public_key_pem) values (@id, @pem) on conflict (key_id) do nothing
                """);
            cmd.Parameters.AddWithValue("id", signing.KeyId);
            cmd.Parameters.AddWithValue("pem", signing.PublicKeyPem);
            await cmd.ExecuteNonQueryAsync(ct);
            _registered = true;
        }
        finally
        {
            _registering.Release();
        }
    }

    /// <summary>
    /// The public key a biên lai names, or null when no registered key has that id. A stored key whose PEM is not a
    /// P-256 key or does not hash to its id (altered behind the service's back) is no key.
    /// </summary>
    public async ValueTask<ReceiptPublicKey?> Find(string keyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (_known.TryGetValue(keyId, out var known))
        {
            return known;
        }
        await using var cmd = dataSource.CreateCommand("select public_key_pem from receipt_signing_keys where key_id = @id");
        cmd.Parameters.AddWithValue("id", keyId);
        if (await cmd.ExecuteScalarAsync(ct) is not string pem)
        {
            return null;
        }
        ReceiptPublicKey key;
        try
        {
            key = ReceiptPublicKey.FromPem(pem);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (key.KeyId != keyId)
        {
            key.Dispose();
            return null;
        }
        if (!_known.TryAdd(keyId, key))
        {
            key.Dispose();
        }
        return _known[keyId];
    }

    public void Dispose()
    {
        foreach (var key in _known.Values.Where(k => !ReferenceEquals(k, signing.PublicKey)))
        {
            key.Dispose();
        }
        _registering.Dispose();
    }
}
