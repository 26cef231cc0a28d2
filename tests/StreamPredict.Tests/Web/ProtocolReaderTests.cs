using System.Text;
using StreamPredict.Web.InferenceProtocol;
using StreamPredict.Web.Mlflow;
using StreamPredict.Web.Rides;

namespace StreamPredict.Tests.Web;

/// <summary>The MLflow (JSON and CSV) and KServe V2 readers: shapes accepted, and what a malformed input says.</summary>
public sealed class ProtocolReaderTests
{
    [Theory]
    [InlineData("""{"dataframe_split": {"columns": ["trip_distance", "PULocationID", "DOLocationID", "extra"], "data": [[3.66, 130, 205, "x"]]}}""")]
    [InlineData("""{"dataframe_records": [{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}]}""")]
    [InlineData("""{"instances": {"PULocationID": [130], "DOLocationID": [205], "trip_distance": [3.66]}}""")]
    [InlineData("""{"params": {"a": 1}, "inputs": [{"PULocationID": 130, "DOLocationID": 205, "trip_distance": 3.66}]}""")]
    public void MLflow_json_shapes_read_the_same_ride(string json)
    {
        using var rides = new RideList();

        Assert.Null(MlflowInputReader.Read(Encoding.UTF8.GetBytes(json), 10, rides));
        Assert.Equal([new StreamPredict.Model.Ride(130, 205, 3.66)], rides.Rides.ToArray());
    }

    [Theory]
    [InlineData("""[1]""", "invalid_input_format", null)]
    [InlineData("""{"dataframe_split": {"columns": ["PULocationID"]}}""", "invalid_input_format", null)]
    [InlineData("""{"dataframe_split": {"columns": [1], "data": []}}""", "invalid_input_format", null)]
    [InlineData("""{"inputs": {"PULocationID": [1, 2], "DOLocationID": [1], "trip_distance": [1, 1]}}""", "invalid_input_format", null)]
    [InlineData("""{"dataframe_records": {"PULocationID": 1}}""", "invalid_input_format", null)]
    [InlineData("""{"dataframe_records": [{"PULocationID": 1, "DOLocationID": 1, "trip_distance": 1}, {"PULocationID": true, "DOLocationID": 1, "trip_distance": 1}]}""", "location_id_wrong_type", 1)]
    [InlineData("""{"dataframe_split": {"columns": ["PULocationID", "DOLocationID", "trip_distance"], "data": [[1, 1, {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": 1}}}}}}}}}]]}}""", "too_deep", 0)]
    [InlineData("""{"dataframe_records": [{"PULocationID": 1, "DOLocationID": 1, "trip_distance": 1}]} x""", "not_json", null)]
    public void MLflow_json_errors_say_what_is_wrong(string json, string kind, int? index)
    {
        using var rides = new RideList();

        var problem = MlflowInputReader.Read(Encoding.UTF8.GetBytes(json), 10, rides);

        Assert.Equal(kind, problem?.Code);
        Assert.Equal(index, problem?.Index);
    }

    [Theory]
    [InlineData("PULocationID,DOLocationID,trip_distance\n130,205,3.66\n", null, null)]
    [InlineData("trip_distance,PULocationID,DOLocationID\r\n\"3.66\",130,\"205\"\r\n\r\n", null, null)]
    [InlineData("PULocationID,DOLocationID,trip_distance\n130,205,\n", "distance_wrong_type", 0)]
    [InlineData("PULocationID,DOLocationID,trip_distance\n130,205,3.66\n1,2\n", "invalid_input_format", 1)]
    [InlineData("PULocationID,DOLocationID,trip_distance\n\"130,205,3.66\n", "invalid_input_format", 0)]
    [InlineData("", "invalid_input_format", null)]
    public void CSV_has_a_header_and_one_ride_per_row(string csv, string? kind, int? index)
    {
        using var rides = new RideList();

        var problem = CsvRideReader.Read(Encoding.UTF8.GetBytes(csv), 10, rides);

        Assert.Equal(kind, problem?.Code);
        Assert.Equal(index, problem?.Index);
        if (kind is null)
        {
            Assert.Equal([new StreamPredict.Model.Ride(130, 205, 3.66)], rides.Rides.ToArray());
        }
    }

    private const string Tensors = """
        {"id": "x", "inputs": [
          {"name": "trip_distance", "shape": [1, 2], "datatype": "FP32", "data": [[3.66, 1]]},
          {"name": "PULocationID", "shape": [2], "datatype": "INT64", "data": [130, 1]},
          {"name": "DOLocationID", "shape": [2], "datatype": "UINT16", "data": [205, 2], "parameters": {}}],
         "outputs": [{"name": "duration"}]}
        """;

    [Fact]
    public void Inference_tensors_in_any_order_and_shape_read_as_rides()
    {
        using var rides = new RideList();

        Assert.Null(InferRequestReader.Read(Encoding.UTF8.GetBytes(Tensors), 10, rides, out var id));
        Assert.Equal("x", id);
        Assert.Equal([new StreamPredict.Model.Ride(130, 205, 3.66), new StreamPredict.Model.Ride(1, 2, 1)], rides.Rides.ToArray());
    }

    [Theory]
    [InlineData("\"FP32\"", "\"STRING\"", "trip_distance")]
    [InlineData("\"shape\": [2], \"datatype\": \"INT64\"", "\"shape\": [3], \"datatype\": \"INT64\"", "PULocationID")]
    [InlineData("\"name\": \"DOLocationID\"", "\"name\": \"DOLocation\"", null)]
    [InlineData("\"data\": [205, 2]", "\"data\": [205]", "DOLocationID")]
    public void Inference_request_errors_name_the_input(string replace, string with, string? field)
    {
        using var rides = new RideList();

        var problem = InferRequestReader.Read(Encoding.UTF8.GetBytes(Tensors.Replace(replace, with, StringComparison.Ordinal)), 10, rides, out _);

        Assert.Equal("invalid_inference_request", problem?.Code);
        Assert.Equal(field, problem?.Field);
    }
}
