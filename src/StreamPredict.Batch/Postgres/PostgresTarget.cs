using System.Globalization;
using Npgsql;

namespace StreamPredict.Batch.Postgres;

/// <summary>
/// A PostgreSQL database given as a URL, <c>postgresql://user:password@host:port/database?sslmode=require</c> (or
/// postgres://). Missing parts fall back to Npgsql's defaults and the PG* variables (PGPASSWORD, PGHOST, ...).
/// The password is never shown: <see cref="ToString"/> leaves it out.
/// </summary>
public sealed class PostgresTarget
{
    private PostgresTarget(string connectionString, string display)
    {
        ConnectionString = connectionString;
        Display = display;
    }

    public string ConnectionString { get; }

    /// <summary>The URL without its password.</summary>
    public string Display { get; }

    public static bool IsPostgres(string? location) =>
        location is not null && (location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase));

    public static PostgresTarget Parse(string url, string what)
    {
        if (!IsPostgres(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"{what} is not a PostgreSQL URL: use postgresql://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        if (uri.Host.Length > 0)
        {
            builder.Host = uri.Host;
        }

        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        var user = "";
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            builder.Username = user;
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[name.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : name] = value;
            }
            catch (ArgumentException exception)
            {
                throw new ArgumentException($"{what}: the URL parameter '{name}' is not a connection setting Npgsql knows ({exception.Message}).", exception);
            }
        }

        builder.ApplicationName ??= "streampredict-score";
        var port = uri.IsDefaultPort || uri.Port <= 0 ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        var display = $"{uri.Scheme}://{(user.Length > 0 ? user + "@" : "")}{uri.Host}{port}/{database}";
        return new PostgresTarget(builder.ConnectionString, display);
    }

    public override string ToString() => Display;
}
