using System.Text.Json;

namespace StreamPredict.Function.Observability;

/// <summary>The counts of one invocation, emitted as one CloudWatch Embedded Metric Format line.</summary>
internal sealed class InvocationMetrics
{
    public const string Namespace = "StreamPredict";

    public int RecordsIn { get; set; }

    /// <summary>User records de-aggregated from KPL aggregated records (each counts in Predictions or Rejected).</summary>
    public int UserRecords { get; set; }
    public int Predictions { get; set; }
    public int Rejected { get; set; }
    public int Retried { get; set; }
    public int Failed { get; set; }

    /// <summary>Output streams whose publishing stopped on an error retrying cannot fix (a missing stream, denied access, a KMS key problem).</summary>
    public int PermanentErrors { get; set; }
    public double PublishMs { get; set; }
    public bool ColdStart { get; set; }

    public void Reset()
    {
        RecordsIn = UserRecords = Predictions = Rejected = Retried = Failed = PermanentErrors = 0;
        PublishMs = 0;
        ColdStart = false;
    }

    /// <summary>EMF: CloudWatch turns the root members named in _aws.CloudWatchMetrics into metrics.</summary>
    public void WriteEmf(Utf8JsonWriter writer, DateTimeOffset timestamp, string modelVersion, string requestId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("_aws");
        writer.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
        writer.WriteStartArray("CloudWatchMetrics");
        writer.WriteStartObject();
        writer.WriteString("Namespace", Namespace);
        writer.WriteStartArray("Dimensions");
        writer.WriteStartArray();
        writer.WriteStringValue("ModelVersion");
        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.WriteStartArray("Metrics");
        Metric(writer, nameof(RecordsIn), "Count");
        Metric(writer, nameof(UserRecords), "Count");
        Metric(writer, nameof(Predictions), "Count");
        Metric(writer, nameof(Rejected), "Count");
        Metric(writer, nameof(Retried), "Count");
        Metric(writer, nameof(Failed), "Count");
        Metric(writer, nameof(PermanentErrors), "Count");
        Metric(writer, nameof(PublishMs), "Milliseconds");
        Metric(writer, nameof(ColdStart), "Count");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteString("ModelVersion", modelVersion);
        writer.WriteString("requestId", requestId);
        writer.WriteNumber(nameof(RecordsIn), RecordsIn);
        writer.WriteNumber(nameof(UserRecords), UserRecords);
        writer.WriteNumber(nameof(Predictions), Predictions);
        writer.WriteNumber(nameof(Rejected), Rejected);
        writer.WriteNumber(nameof(Retried), Retried);
        writer.WriteNumber(nameof(Failed), Failed);
        writer.WriteNumber(nameof(PermanentErrors), PermanentErrors);
        writer.WriteNumber(nameof(PublishMs), Math.Round(PublishMs, 3));
        writer.WriteNumber(nameof(ColdStart), ColdStart ? 1 : 0);
        writer.WriteEndObject();
    }

    private static void Metric(Utf8JsonWriter writer, string name, string unit)
    {
        writer.WriteStartObject();
        writer.WriteString("Name", name);
        writer.WriteString("Unit", unit);
        writer.WriteEndObject();
    }
}
