using StreamPredict.Batch.Output;
using StreamPredict.Batch.Postgres;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch;

/// <summary>Picks the sink for an output: postgresql:// URL, s3://bucket/key, or a local path.</summary>
internal static class ScoringSinks
{
    public static async Task<IScoringSink> CreateAsync(string output, TlcTaxiType taxiType, ScoringMonth month, string modelVersion,
        ScoringOptions options, CancellationToken cancellationToken)
    {
        if (PostgresTarget.IsPostgres(output))
        {
            return await PostgresSink.CreateAsync(PostgresTarget.Parse(output, "--output"), taxiType, month, modelVersion, cancellationToken).ConfigureAwait(false);
        }

        var location = DataLocation.Parse(output, "--output");
        IParquetDestination destination = location.S3 is { } s3
            ? new S3ParquetDestination(options.S3(), s3, options.TempFolder)
            : new LocalParquetDestination(location.LocalPath!);
        return await ParquetSink.CreateAsync(destination, taxiType, month, modelVersion, cancellationToken).ConfigureAwait(false);
    }
}
