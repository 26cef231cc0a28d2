using Parquet;
using Parquet.Schema;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Output;

/// <summary>Writes scored chunks as the course's prediction file: one row group per chunk, columns in the course's order.</summary>
internal sealed class PredictionFileWriter : IAsyncDisposable
{
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly string _rideIdPrefix;
    private readonly ReadOnlyMemory<char> _modelVersion;

    private PredictionFileWriter(ParquetWriter writer, DataField[] fields, string rideIdPrefix, string modelVersion)
    {
        _writer = writer;
        _fields = fields;
        _rideIdPrefix = rideIdPrefix;
        _modelVersion = modelVersion.AsMemory();
    }

    public static async Task<PredictionFileWriter> CreateAsync(Stream stream, TlcTaxiType taxiType, ScoringMonth month, string modelVersion, CancellationToken cancellationToken)
    {
        var schema = PredictionColumns.Schema(taxiType);
        var writer = await ParquetWriter.CreateAsync(schema, stream, ParquetOutputOptions.Create(PredictionColumns.PickupLocation, PredictionColumns.DropoffLocation, PredictionColumns.ModelVersion), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PredictionFileWriter(writer, schema.GetDataFields(), RideIds.Prefix(month), modelVersion);
    }

    public async Task WriteAsync(ScoredChunk chunk, CancellationToken cancellationToken)
    {
        var count = chunk.Scored;
        if (count == 0)
        {
            return;
        }

        using var group = _writer.CreateRowGroup();
        var ids = TlcBuffers.Pool<ReadOnlyMemory<char>>().Rent(count);
        var text = TlcBuffers.Pool<char>().Rent(count * RideIds.MaxLength);
        var doubles = TlcBuffers.Pool<double>().Rent(count);
        try
        {
            // One buffer holds every ride_id of the chunk; the column gets slices of it, not a string per row.
            var position = 0;
            for (var i = 0; i < count; i++)
            {
                var length = RideIds.Format(_rideIdPrefix, chunk.RowIndex[i], text.AsSpan(position));
                ids[i] = text.AsMemory(position, length);
                position += length;
            }

            await group.WriteAsync<ReadOnlyMemory<char>>(_fields[0], ids.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(_fields[1], chunk.Pickup.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                ids[i] = ZoneIdText.Of(chunk.Rides[i].PickupLocationId);
            }

            await group.WriteAsync<ReadOnlyMemory<char>>(_fields[2], ids.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                ids[i] = ZoneIdText.Of(chunk.Rides[i].DropoffLocationId);
            }

            await group.WriteAsync<ReadOnlyMemory<char>>(_fields[3], ids.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(_fields[4], chunk.ActualDuration.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(_fields[5], chunk.PredictedDuration.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                doubles[i] = chunk.ActualDuration[i] - chunk.PredictedDuration[i];
            }

            await group.WriteAsync<double>(_fields[6], doubles.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
            ids.AsSpan(0, count).Fill(_modelVersion);
            await group.WriteAsync<ReadOnlyMemory<char>>(_fields[7], ids.AsMemory(0, count), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TlcBuffers.Pool<ReadOnlyMemory<char>>().Return(ids, clearArray: true);
            TlcBuffers.Pool<char>().Return(text);
            TlcBuffers.Pool<double>().Return(doubles);
        }
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
