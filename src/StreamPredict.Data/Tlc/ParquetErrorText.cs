using System.Text.RegularExpressions;
using ParquetSharp;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// Arrow's error text without its wrapping: ParquetSharp's message is the C++ exception's mangled type name followed by
/// "(message: '…')" (e.g. "N7parquet38ParquetInvalidOrCorruptedFileExceptionE (message: 'Invalid: Parquet magic bytes
/// not found in footer…')"); a user needs only the sentence inside.
/// </summary>
public static partial class ParquetErrorText
{
    public static string Of(ParquetException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var match = Wrapped().Match(exception.Message);
        return (match.Success ? match.Groups["text"].Value : exception.Message).Trim();
    }

    [GeneratedRegex(@"\(message: '(?<text>.*)'\)\s*$", RegexOptions.Singleline)]
    private static partial Regex Wrapped();
}
