using Parquet;
using Parquet.Schema;

namespace StreamPredict.Tests.Batch;

/// <summary>One row of a prediction file, as any parquet reader sees it.</summary>
public sealed record PredictionRow(string RideId, DateTime Pickup, string PickupZone, string DropoffZone, double Actual, double Predicted, double Diff, string ModelVersion);

/// <summary>One row of a rejected file.</summary>
public sealed record RejectedFileRow(long RowIndex, string RideId, string ReasonCode, string Reason, double? PickupZone, double? DropoffZone, double? Distance);

/// <summary>Reads the job's outputs back with Parquet.Net, independently of the writer's code.</summary>
internal static class OutputFiles
{
    public static async Task<(IReadOnlyList<(string Name, Type Type)> Schema, List<PredictionRow> Rows, int RowGroups)> ReadPredictionsAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        var rows = new List<PredictionRow>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var ids = await Strings(group, fields[0], n);
            var pickup = new DateTime[n];
            await group.ReadAsync<DateTime>(fields[1], pickup.AsMemory());
            var pu = await Strings(group, fields[2], n);
            var dO = await Strings(group, fields[3], n);
            var actual = await Doubles(group, fields[4], n);
            var predicted = await Doubles(group, fields[5], n);
            var diff = await Doubles(group, fields[6], n);
            var version = await Strings(group, fields[7], n);
            for (var i = 0; i < n; i++)
            {
                rows.Add(new PredictionRow(ids[i], pickup[i], pu[i], dO[i], actual[i], predicted[i], diff[i], version[i]));
            }
        }

        return ([.. fields.Select(f => (f.Name, f.ClrType))], rows, reader.RowGroupCount);
    }

    public static async Task<List<RejectedFileRow>> ReadRejectedAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["row_index", "ride_id", "reason_code", "reason"], fields.Take(4).Select(f => f.Name));
        var rows = new List<RejectedFileRow>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var index = new long[n];
            await group.ReadAsync<long>(fields[0], index.AsMemory());
            var ids = await Strings(group, fields[1], n);
            var codes = await Strings(group, fields[2], n);
            var reasons = await Strings(group, fields[3], n);
            var pu = new double?[n];
            var dO = new double?[n];
            var distance = new double?[n];
            await group.ReadAsync<double>(fields[6], pu.AsMemory());
            await group.ReadAsync<double>(fields[7], dO.AsMemory());
            await group.ReadAsync<double>(fields[8], distance.AsMemory());
            for (var i = 0; i < n; i++)
            {
                rows.Add(new RejectedFileRow(index[i], ids[i], codes[i], reasons[i], pu[i], dO[i], distance[i]));
            }
        }

        return rows;
    }

    private static async Task<string[]> Strings(ParquetRowGroupReader group, DataField field, int n)
    {
        var values = new string?[n];
        await group.ReadAsync(field, values.AsMemory());
        return [.. values.Select(v => v!)];
    }

    private static async Task<double[]> Doubles(ParquetRowGroupReader group, DataField field, int n)
    {
        var values = new double[n];
        await group.ReadAsync<double>(field, values.AsMemory());
        return values;
    }
}
