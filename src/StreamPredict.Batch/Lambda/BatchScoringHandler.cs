using System.Buffers;
using System.Text.Json;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.Lambda.Bootstrap;
using StreamPredict.Aws.Lambda.Context;
using StreamPredict.Aws.S3;
using StreamPredict.Model;

namespace StreamPredict.Batch.Lambda;

/// <summary>
/// One invocation scores one month of the course's layout: {INPUT_ROOT}/{taxi}_tripdata_{YYYY}-{MM}.parquet into
/// {OUTPUT_ROOT}/taxi_type={taxi}/year={YYYY}/month={MM}/{run_id}.parquet (and the rejected file beside it). The response
/// is the run's counts; a month that cannot be scored fails the invocation, so Step Functions can retry or report it.
/// </summary>
public sealed class BatchScoringHandler(BatchFunctionSettings settings, CompiledModel model, Func<AwsEnvironment> aws) : ILambdaHandler
{
    /// <summary>The run id outputs are named after: RUN_ID when set, else the model's version.</summary>
    public string RunId { get; } = settings.RunId ?? model.Version;

    /// <summary>OUTPUT_ROOT as a folder or S3 prefix (parsed once, not per invocation); null for a postgresql:// URL.</summary>
    private readonly DataLocation? _outputRoot = Postgres.PostgresTarget.IsPostgres(settings.OutputRoot)
        ? null
        : DataLocation.ParseRoot(settings.OutputRoot, BatchFunctionSettings.OutputRootVariable);

    public async ValueTask HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, IBufferWriter<byte> response, CancellationToken cancellationToken)
    {
        var scoring = ScoringEvent.Parse(payload.Span);
        if (scoring.RunId is { } asked && asked != RunId)
        {
            // The role may read this run's model only (least privilege); another run needs its own deployment.
            throw new LambdaFunctionException("InvalidEvent", $"run_id '{asked}' is not this function's run '{RunId}' (RUN_ID / the model's version).");
        }

        var request = CourseLayout.Request(settings.InputRoot, _outputRoot, _outputRoot is null ? settings.OutputRoot : null, scoring.TaxiType,
            scoring.Month, model, RunId);
        var result = await ScoringJob.RunAsync(request, new ScoringOptions { OpenS3 = () => new S3ObjectStore(aws()) }, cancellationToken).ConfigureAwait(false);
        WriteResponse(response, result);
    }

    private static void WriteResponse(IBufferWriter<byte> response, ScoringResult result)
    {
        using var json = new Utf8JsonWriter(response);
        json.WriteStartObject();
        json.WriteString("input", result.Input);
        json.WriteString("output", result.Output);
        json.WriteString("rejected_output", result.RejectedOutput);
        json.WriteString("taxi_type", result.TaxiType);
        json.WriteNumber("year", result.Month.Year);
        json.WriteNumber("month", result.Month.Month);
        json.WriteString("model_version", result.ModelVersion);
        json.WriteNumber("rows_in", result.RowsIn);
        json.WriteNumber("scored", result.Scored);
        json.WriteNumber("filtered", result.Filtered);
        json.WriteNumber("rejected", result.Rejected);
        json.WriteStartObject("rejected_by_reason");
        foreach (var (code, count) in result.RejectedByReason)
        {
            json.WriteNumber(code, count);
        }

        json.WriteEndObject();
        json.WriteNumber("seconds", Math.Round(result.Seconds, 3));
        json.WriteEndObject();
    }
}
