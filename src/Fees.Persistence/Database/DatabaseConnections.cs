namespace Fees.Persistence.Database;

/// <summary>
/// Where the database is: an owner connection that applies migrations and grants, and the service's restricted role
/// (<c>fees_app</c>) for everything else. They are equal when the service runs as the owner.
/// </summary>
public sealed record DatabaseConnections(string Owner, string App);
