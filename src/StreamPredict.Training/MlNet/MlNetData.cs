using Microsoft.ML;
using Microsoft.ML.Data;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.Training.MlNet;

/// <summary>Trips as an ML.NET data view: a float Label (minutes) and a sparse Features vector laid out by a <see cref="RideFeatureLayout"/>.</summary>
internal static class MlNetData
{
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";

    /// <summary>ML.NET's annotation naming the vector's categorical one-hot ranges (pairs of inclusive slot indices).</summary>
    private const string CategoricalSlotRanges = "CategoricalSlotRanges";

    public static IDataView Load(MLContext context, RideFeatureLayout layout, IReadOnlyList<TripRow> trips)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(trips);
        var rows = new List<FeatureRow>(trips.Count);
        foreach (TripRow trip in trips)
        {
            rows.Add(new FeatureRow { Label = (float)trip.DurationMinutes, Features = Vector(layout, trip.Ride) });
        }

        return context.Data.LoadFromEnumerable(rows, Schema(layout));
    }

    public static VBuffer<float> Vector(RideFeatureLayout layout, in StreamPredict.Model.Ride ride)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int[] indices = new int[layout.MaxActiveSlots];
        float[] values = new float[layout.MaxActiveSlots];
        int count = layout.Fill(in ride, indices, values);
        return new VBuffer<float>(layout.Length, count, values, indices);
    }

    public static SchemaDefinition Schema(RideFeatureLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        var features = schema[nameof(FeatureRow.Features)];
        features.ColumnType = new VectorDataViewType(NumberDataViewType.Single, layout.Length);
        if (layout.Groups.Count > 0)
        {
            int[] ranges = [.. layout.Groups.SelectMany(group => new[] { group.Start, group.End })];
            features.AddAnnotation(CategoricalSlotRanges, new VBuffer<int>(ranges.Length, ranges),
                new VectorDataViewType(NumberDataViewType.Int32, ranges.Length));
        }

        return schema;
    }

    /// <summary>One row as ML.NET reads it by reflection; public because LoadFromEnumerable needs the members.</summary>
    public sealed class FeatureRow
    {
        public float Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }
}
