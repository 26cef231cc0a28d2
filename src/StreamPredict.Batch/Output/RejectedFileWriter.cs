using Parquet;
using Parquet.Schema;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Output;

/// <summary>Writes the bad rows with their reasons (<see cref="RejectedColumns"/>); one row group per chunk that has any.</summary>
internal sealed class RejectedFileWriter : IAsyncDisposable
{
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly ScoringMonth _month;

    private RejectedFileWriter(ParquetWriter writer, DataField[] fields, ScoringMonth month)
    {
        _writer = writer;
        _fields = fields;
        _month = month;
    }

    public static async Task<RejectedFileWriter> CreateAsync(Stream stream, TlcTaxiType taxiType, ScoringMonth month, CancellationToken cancellationToken)
    {
        var schema = RejectedColumns.Schema(taxiType);
        var writer = await ParquetWriter.CreateAsync(schema, stream, ParquetOutputOptions.Create(RejectedColumns.ReasonCode), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new RejectedFileWriter(writer, schema.GetDataFields(), month);
    }

    public async Task WriteAsync(IReadOnlyList<RejectedRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        using var group = _writer.CreateRowGroup();
        await group.WriteAsync<long>(_fields[0], rows.Select(r => r.RowIndex).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<ReadOnlyMemory<char>>(_fields[1], rows.Select(r => RideIds.For(_month, r.RowIndex).AsMemory()).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<ReadOnlyMemory<char>>(_fields[2], rows.Select(r => r.Code.AsMemory()).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<ReadOnlyMemory<char>>(_fields[3], rows.Select(r => r.Reason.AsMemory()).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(_fields[4], rows.Select(r => r.Trip.Has(TlcFields.Pickup) ? r.Trip.Pickup : (DateTime?)null).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(_fields[5], rows.Select(r => r.Trip.Has(TlcFields.Dropoff) ? r.Trip.Dropoff : (DateTime?)null).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(_fields[6], rows.Select(r => Number(r.Trip, TlcFields.PickupLocation, r.Trip.PickupLocationId)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(_fields[7], rows.Select(r => Number(r.Trip, TlcFields.DropoffLocation, r.Trip.DropoffLocationId)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(_fields[8], rows.Select(r => Number(r.Trip, TlcFields.Distance, r.Trip.TripDistance)).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private static double? Number(in TlcTrip trip, TlcFields field, double value) => trip.Has(field) ? value : null;
}
