namespace StreamPredict.LocalLambda.Invoke;

/// <summary>Whose answers a request gets: the two local tools answer failures differently.</summary>
public enum InvokeApi
{
    /// <summary>The Lambda Runtime Interface Emulator's path, <c>/2015-03-31/functions/function/invocations</c>.</summary>
    Rie,

    /// <summary>Lambda's Invoke API as <c>sam local start-lambda</c> serves it: <c>/2015-03-31/functions/{name}/invocations</c>.</summary>
    Lambda,
}

public enum RouteKind
{
    Invoke,
    PathNotFound,
    MethodNotAllowed,

    /// <summary>The Invoke API path with a name other than this function's.</summary>
    FunctionNotFound,
}

/// <summary>What a request asks for. Both tools serve <c>POST /2015-03-31/functions/{name}/invocations</c>; the
/// name <c>function</c> is the RIE's, any other must name this function (or be an ARN ending in its name).</summary>
public sealed record InvokeRoute(RouteKind Kind, InvokeApi Api, string? FunctionName)
{
    public const string RieFunctionName = "function";
    private const string Prefix = "/2015-03-31/functions/";
    private const string Suffix = "/invocations";

    /// <summary>The path the RIE serves, and the path Lambda's Invoke API gives <paramref name="functionName"/>.</summary>
    public static string PathFor(string functionName) => Prefix + Uri.EscapeDataString(functionName) + Suffix;

    public static InvokeRoute Parse(string method, string path, string functionName)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !path.EndsWith(Suffix, StringComparison.Ordinal)
            || path.Length <= Prefix.Length + Suffix.Length || path.AsSpan(Prefix.Length, path.Length - Prefix.Length - Suffix.Length).Contains('/'))
        {
            return new InvokeRoute(RouteKind.PathNotFound, InvokeApi.Lambda, null);
        }

        var name = Uri.UnescapeDataString(path[Prefix.Length..^Suffix.Length]);
        var api = name == RieFunctionName ? InvokeApi.Rie : InvokeApi.Lambda;
        if (!string.Equals(method, "POST", StringComparison.Ordinal))
        {
            return new InvokeRoute(RouteKind.MethodNotAllowed, api, name);
        }

        return api == InvokeApi.Lambda && !Names(name, functionName)
            ? new InvokeRoute(RouteKind.FunctionNotFound, api, name)
            : new InvokeRoute(RouteKind.Invoke, api, name);
    }

    // The SDKs send FunctionName as given: a name, or arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}].
    private static bool Names(string requested, string functionName)
    {
        if (requested == functionName)
        {
            return true;
        }

        const string Marker = ":function:";
        var at = requested.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || !requested.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = requested[(at + Marker.Length)..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? rest : rest[..colon]) == functionName;
    }
}
