using System.Text;
using StreamPredict.Model;
using StreamPredict.Model.Formats.Xgboost;

namespace StreamPredict.Tests.Model.Formats;

public class UbjsonTranscoderTests
{
    [Fact]
    public void Objects_typed_arrays_and_scalars_become_the_same_json()
    {
        byte[] ubjson =
        [
            (byte)'{',
            (byte)'i', 1, (byte)'a', (byte)'[', (byte)'$', (byte)'d', (byte)'#', (byte)'i', 2, 0x40, 0x20, 0, 0, 0xBF, 0x80, 0, 0, // a: [2.5, -1] as float32
            (byte)'i', 1, (byte)'b', (byte)'[', (byte)'$', (byte)'l', (byte)'#', (byte)'U', 2, 0, 0, 0, 7, 0xFF, 0xFF, 0xFF, 0xFF, // b: [7, -1] as int32
            (byte)'U', 1, (byte)'c', (byte)'S', (byte)'i', 3, (byte)'x', (byte)'y', (byte)'z',
            (byte)'L', 0, 0, 0, 0, 0, 0, 0, 1, (byte)'d', (byte)'[', (byte)'T', (byte)'F', (byte)'Z', (byte)'N', (byte)'I', 1, 0, (byte)']',
            (byte)'}',
        ];

        Assert.Equal("""{"a":[2.5,-1],"b":[7,-1],"c":"xyz","d":[true,false,null,256]}""", Encoding.UTF8.GetString(UbjsonTranscoder.ToJson(ubjson)));
    }

    [Fact]
    public void Float32_values_read_back_exactly()
    {
        float value = 0.1f;
        byte[] bits = BitConverter.GetBytes(value);
        Array.Reverse(bits);
        byte[] ubjson = [(byte)'[', (byte)'d', .. bits, (byte)']'];

        string json = Encoding.UTF8.GetString(UbjsonTranscoder.ToJson(ubjson));

        Assert.Equal(value, float.Parse(json.Trim('[', ']'), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Nan_and_infinity_become_strings_rather_than_breaking_the_writer()
    {
        byte[] ubjson = [(byte)'[', (byte)'d', 0x7F, 0xC0, 0, 0, (byte)'d', 0x7F, 0x80, 0, 0, (byte)']'];

        Assert.Equal("""["NaN","Infinity"]""", Encoding.UTF8.GetString(UbjsonTranscoder.ToJson(ubjson)));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'i', 5, (byte)'a' }, "a string of 5 bytes does not fit")]
    [InlineData(new byte[] { (byte)'[', (byte)'#', (byte)'L', 0x7F, 0, 0, 0, 0, 0, 0, 0 }, "container count 9151314442816847872 is more than the bytes left")]
    [InlineData(new byte[] { (byte)'[', (byte)'$', (byte)'Z', (byte)'#', (byte)'i', 100 }, "optimized containers of 'Z' are not supported")]
    [InlineData(new byte[] { (byte)'[', (byte)'q', (byte)']' }, "'q' is not a UBJSON value type")]
    [InlineData(new byte[] { (byte)'[', (byte)'l', 0, 0 }, "truncated")]
    [InlineData(new byte[] { (byte)'Z', (byte)'Z' }, "unexpected bytes after the document's end")]
    public void Malformed_ubjson_is_refused_with_the_offset(byte[] ubjson, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => UbjsonTranscoder.ToJson(ubjson));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("XGBoost UBJSON model: at byte ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_64_is_refused()
    {
        byte[] ubjson = [.. Enumerable.Repeat((byte)'[', 100), .. Enumerable.Repeat((byte)']', 100)];

        var error = Assert.Throws<ModelLoadException>(() => UbjsonTranscoder.ToJson(ubjson));

        Assert.Contains("nested deeper than 64 levels", error.Message, StringComparison.Ordinal);
    }
}
