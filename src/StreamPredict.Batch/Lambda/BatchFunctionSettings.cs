using StreamPredict.Serving.Models;

namespace StreamPredict.Batch.Lambda;

/// <summary>
/// The batch function's environment: where the TLC months are (INPUT_ROOT), where the course's partitions go
/// (OUTPUT_ROOT), and the model, read exactly as the streaming function reads it (<see cref="ModelLocation"/>).
/// </summary>
public sealed record BatchFunctionSettings
{
    public const string InputRootVariable = "INPUT_ROOT";
    public const string OutputRootVariable = "OUTPUT_ROOT";

    /// <summary>Every variable the function reads itself (template.yaml's Environment is checked against it).</summary>
    public static IReadOnlyList<string> VariableNames { get; } = [InputRootVariable, OutputRootVariable, .. ModelLocation.VariableNames];

    public required DataLocation InputRoot { get; init; }

    /// <summary>A folder or s3:// prefix, or a postgresql:// URL.</summary>
    public required string OutputRoot { get; init; }

    public required ModelLocation Model { get; init; }

    /// <summary>The RUN_ID variable, when set: the run this function's model belongs to.</summary>
    public string? RunId { get; init; }

    public static BatchFunctionSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        string Require(string name, string what) => Read(name) ?? throw new ArgumentException($"{name} is not set: it must name {what}.");

        var input = Require(InputRootVariable, "the folder or s3://bucket/prefix holding {taxi}_tripdata_{YYYY}-{MM}.parquet");
        var output = Require(OutputRootVariable, "the folder or s3://bucket/prefix for taxi_type=…/year=…/month=…/{run_id}.parquet, or a postgresql:// URL");
        return new BatchFunctionSettings
        {
            InputRoot = DataLocation.ParseRoot(input, InputRootVariable),
            OutputRoot = Postgres.PostgresTarget.IsPostgres(output) ? output : DataLocation.ParseRoot(output, OutputRootVariable).ToString(),
            Model = ModelLocation.FromEnvironment(getVariable),
            RunId = Read(ModelLocation.RunIdVariable),
        };
    }
}
