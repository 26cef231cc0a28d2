using StreamPredict.Aws.S3;
using StreamPredict.Batch.Output;
using StreamPredict.Batch.Postgres;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch;

/// <summary>Picks the sink for an output: postgresql:// URL, s3://bucket/key, or a local path. The caller owns the S3 client.</summary>
internal static class ScoringSinks
{
    public static async Task<IScoringSink> CreateAsync(string output, TlcTaxiType taxiType, ScoringMonth month, string modelVersion,
        Func<S3ObjectStore> s3, string tempFolder, CancellationToken cancellationToken)
    {
        if (PostgresTarget.IsPostgres(output))
        {
            return await PostgresSink.CreateAsync(PostgresTarget.Parse(output, "--output"), taxiType, month, modelVersion, cancellationToken).ConfigureAwait(false);
        }

        var location = DataLocation.Parse(output, "--output");
        IParquetDestination destination = location.S3 is { } address
            ? new S3ParquetDestination(s3(), address, tempFolder)
            : new LocalParquetDestination(location.LocalPath!);
        return await ParquetSink.CreateAsync(destination, taxiType, month, modelVersion, cancellationToken).ConfigureAwait(false);
    }
}
