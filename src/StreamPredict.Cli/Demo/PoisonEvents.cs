using System.Text;

namespace StreamPredict.Cli.Demo;

/// <summary>Bad input the demo mixes in so the dead-letter path shows up in the summary.</summary>
internal static class PoisonEvents
{
    private static readonly string[] Kinds =
    [
        "this is not JSON",
        """{"ride_id":"{id}"}""",
        """{"ride":{"PULocationID":130,"DOLocationID":205,"trip_distance":-3.5},"ride_id":"{id}"}""",
        """{"ride":{"PULocationID":"130","DOLocationID":205,"trip_distance":3.66},"ride_id":"{id}"}""",
        """{"ride":{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66}}""",
        "[1,2,3]",
    ];

    /// <summary>The n-th poison record (kinds cycle) and its partition key.</summary>
    public static (byte[] Data, string PartitionKey) Create(string prefix, int n)
    {
        var id = $"{prefix}-poison-{n}";
        return (Encoding.UTF8.GetBytes(Kinds[n % Kinds.Length].Replace("{id}", id, StringComparison.Ordinal)), id);
    }
}
