using System.Runtime.CompilerServices;
using ParquetSharp;
using StreamPredict.Data.Tlc;

namespace StreamPredict.Batch.Output;

/// <summary>
/// Writes scored chunks as the course's prediction file: one row group per chunk, columns in the course's order
/// (<see cref="PredictionColumns"/>). Text goes to the native writer as UTF-8 addresses: the ride ids formatted straight
/// into one pinned buffer per chunk, the zones and model_version from tables made once; no string per row.
/// </summary>
internal sealed class PredictionFileWriter : IDisposable
{
    private readonly NativeParquetFile _file;
    private readonly byte[] _rideIdPrefix;
    // model_version's UTF-8 bytes, pinned; held here so they live as long as the address in _modelVersion is used.
    private readonly PinnedText _modelVersionText = new();
    private readonly ByteArray _modelVersion;
    private readonly PinnedText _rideIds = new();
    private ByteArray[] _text = [];
    private long[] _micros = [];
    private double[] _diff = [];

    private PredictionFileWriter(NativeParquetFile file, ScoringMonth month, string modelVersion)
    {
        _file = file;
        _rideIdPrefix = RideIds.Utf8Prefix(month);
        _modelVersionText.Start(1, PinnedText.BytesFor([modelVersion]));
        _modelVersionText.Add(modelVersion);
        _modelVersion = _modelVersionText.Values[0];
    }

    public static PredictionFileWriter Create(string path, TlcTaxiType taxiType, ScoringMonth month, string modelVersion) => new(
        new NativeParquetFile(path, PredictionColumns.Schema(taxiType),
            ParquetOutputOptions.Create(PredictionColumns.PickupLocation, PredictionColumns.DropoffLocation, PredictionColumns.ModelVersion)),
        month, modelVersion);

    // Optimised at its first call, like the batch's other per-row loops (see ParquetColumnDecoder.Read).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(ScoredChunk chunk)
    {
        var count = chunk.Scored;
        if (count == 0)
        {
            return;
        }

        Grow(ref _text, count);
        Grow(ref _micros, count);
        Grow(ref _diff, count);
        _rideIds.Start(count, count * RideIds.MaxLength);
        for (var i = 0; i < count; i++)
        {
            _rideIds.Commit(RideIds.Format(_rideIdPrefix, chunk.RowIndex[i], _rideIds.Free));
        }

        for (var i = 0; i < count; i++)
        {
            _micros[i] = ParquetNodes.Micros(chunk.Pickup[i]);
        }

        // The columns in schema order: NextColumn walks them one by one.
        using var group = _file.AppendRowGroup();
        NativeParquetFile.Write(group, _rideIds.Values);
        NativeParquetFile.Write<long>(group, _micros.AsSpan(0, count));
        var text = _text.AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            text[i] = ZoneIdText.Of(chunk.Rides[i].PickupLocationId);
        }

        NativeParquetFile.Write<ByteArray>(group, text);
        for (var i = 0; i < count; i++)
        {
            text[i] = ZoneIdText.Of(chunk.Rides[i].DropoffLocationId);
        }

        NativeParquetFile.Write<ByteArray>(group, text);
        NativeParquetFile.Write<double>(group, chunk.ActualDuration.AsSpan(0, count));
        NativeParquetFile.Write<double>(group, chunk.PredictedDuration.AsSpan(0, count));
        for (var i = 0; i < count; i++)
        {
            _diff[i] = chunk.ActualDuration[i] - chunk.PredictedDuration[i];
        }

        NativeParquetFile.Write<double>(group, _diff.AsSpan(0, count));
        text.Fill(_modelVersion);
        NativeParquetFile.Write<ByteArray>(group, text);
    }

    /// <summary>Writes the footer; throws if the native writer fails.</summary>
    public void Close() => _file.Close();

    public void Dispose() => _file.Dispose();

    private static void Grow<T>(ref T[] buffer, int count)
    {
        if (buffer.Length < count)
        {
            buffer = new T[Math.Max(count, buffer.Length * 2)];
        }
    }
}
