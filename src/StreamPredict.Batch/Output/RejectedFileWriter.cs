using ParquetSharp;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Output;

/// <summary>Writes the bad rows with their reasons (<see cref="RejectedColumns"/>); one row group per chunk that has any.</summary>
internal sealed class RejectedFileWriter : IDisposable
{
    private readonly NativeParquetFile _file;
    private readonly byte[] _rideIdPrefix;
    private readonly PinnedText _rideIds = new();
    private readonly PinnedText _codes = new();
    private readonly PinnedText _reasons = new();

    private RejectedFileWriter(NativeParquetFile file, ScoringMonth month)
    {
        _file = file;
        _rideIdPrefix = RideIds.Utf8Prefix(month);
    }

    public static RejectedFileWriter Create(string path, TlcTaxiType taxiType, ScoringMonth month) => new(
        new NativeParquetFile(path, RejectedColumns.Schema(taxiType), ParquetOutputOptions.Create(RejectedColumns.ReasonCode)), month);

    /// <summary>Bad rows are few (a handful per month in TLC data), so this path favours plain code over speed.</summary>
    public void Write(IReadOnlyList<RejectedRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        _rideIds.Start(rows.Count, rows.Count * RideIds.MaxLength);
        _codes.Start(rows.Count, PinnedText.BytesFor(rows.Select(r => r.Code)));
        _reasons.Start(rows.Count, PinnedText.BytesFor(rows.Select(r => r.Reason)));
        foreach (var row in rows)
        {
            _rideIds.Commit(RideIds.Format(_rideIdPrefix, row.RowIndex, _rideIds.Free));
            _codes.Add(row.Code);
            _reasons.Add(row.Reason);
        }

        // The columns in schema order: NextColumn walks them one by one.
        using var group = _file.AppendRowGroup();
        NativeParquetFile.Write<long>(group, [.. rows.Select(r => r.RowIndex)]);
        NativeParquetFile.Write(group, _rideIds.Values);
        NativeParquetFile.Write(group, _codes.Values);
        NativeParquetFile.Write(group, _reasons.Values);
        NativeParquetFile.WriteOptional(group, rows, r => r.Trip.Has(TlcFields.Pickup) ? ParquetNodes.Micros(r.Trip.Pickup) : (long?)null);
        NativeParquetFile.WriteOptional(group, rows, r => r.Trip.Has(TlcFields.Dropoff) ? ParquetNodes.Micros(r.Trip.Dropoff) : (long?)null);
        NativeParquetFile.WriteOptional(group, rows, r => Number(r.Trip, TlcFields.PickupLocation, r.Trip.PickupLocationId));
        NativeParquetFile.WriteOptional(group, rows, r => Number(r.Trip, TlcFields.DropoffLocation, r.Trip.DropoffLocationId));
        NativeParquetFile.WriteOptional(group, rows, r => Number(r.Trip, TlcFields.Distance, r.Trip.TripDistance));
    }

    /// <summary>Writes the footer; throws if the native writer fails.</summary>
    public void Close() => _file.Close();

    public void Dispose() => _file.Dispose();

    private static double? Number(in TlcTrip trip, TlcFields field, double value) => trip.Has(field) ? value : null;
}
