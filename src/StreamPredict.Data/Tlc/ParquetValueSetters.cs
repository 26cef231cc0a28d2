using Encoding = System.Text.Encoding;
using ParquetSharp;

namespace StreamPredict.Data.Tlc;

/// <summary>
/// Puts one stored parquet value (its physical type) into a trip's field. Implemented by structs, so the column loop in
/// <see cref="ParquetColumnDecoder{TValue, TSetter}"/> is compiled once per setter, with no virtual call per value.
/// </summary>
internal interface IParquetValueSetter<in TValue>
{
    void Set(ref TlcTrip trip, TlcFields which, TValue value);
}

internal readonly struct Int32NumberSetter : IParquetValueSetter<int>
{
    public void Set(ref TlcTrip trip, TlcFields which, int value) => trip.SetNumber(which, value);
}

/// <summary>UINT_8/16/32: the bits of an INT32 read as unsigned.</summary>
internal readonly struct UInt32NumberSetter : IParquetValueSetter<int>
{
    public void Set(ref TlcTrip trip, TlcFields which, int value) => trip.SetNumber(which, (uint)value);
}

internal readonly struct Int64NumberSetter : IParquetValueSetter<long>
{
    public void Set(ref TlcTrip trip, TlcFields which, long value) => trip.SetNumber(which, value);
}

/// <summary>UINT_64: the bits of an INT64 read as unsigned.</summary>
internal readonly struct UInt64NumberSetter : IParquetValueSetter<long>
{
    public void Set(ref TlcTrip trip, TlcFields which, long value) => trip.SetNumber(which, (ulong)value);
}

internal readonly struct FloatNumberSetter : IParquetValueSetter<float>
{
    public void Set(ref TlcTrip trip, TlcFields which, float value) => trip.SetNumber(which, value);
}

internal readonly struct DoubleNumberSetter : IParquetValueSetter<double>
{
    public void Set(ref TlcTrip trip, TlcFields which, double value) => trip.SetNumber(which, value);
}

/// <summary>DECIMAL stored as INT32 or INT64: the unscaled integer over 10^scale.</summary>
internal readonly struct ScaledInt32Setter(double divisor) : IParquetValueSetter<int>
{
    public void Set(ref TlcTrip trip, TlcFields which, int value) => trip.SetNumber(which, value / divisor);
}

internal readonly struct ScaledInt64Setter(double divisor) : IParquetValueSetter<long>
{
    public void Set(ref TlcTrip trip, TlcFields which, long value) => trip.SetNumber(which, value / divisor);
}

/// <summary>DECIMAL stored as BYTE_ARRAY: the unscaled integer in big-endian two's complement, of any length up to 16.</summary>
internal readonly unsafe struct ByteArrayDecimalSetter(double divisor) : IParquetValueSetter<ByteArray>
{
    public void Set(ref TlcTrip trip, TlcFields which, ByteArray value) =>
        BigEndianDecimal.Set(ref trip, which, new ReadOnlySpan<byte>((void*)value.Pointer, value.Length), divisor);
}

/// <summary>DECIMAL stored as FIXED_LEN_BYTE_ARRAY: as <see cref="ByteArrayDecimalSetter"/>, the length from the schema.</summary>
internal readonly unsafe struct FixedLengthDecimalSetter(int length, double divisor) : IParquetValueSetter<FixedLenByteArray>
{
    public void Set(ref TlcTrip trip, TlcFields which, FixedLenByteArray value) =>
        BigEndianDecimal.Set(ref trip, which, new ReadOnlySpan<byte>((void*)value.Pointer, length), divisor);
}

internal static class BigEndianDecimal
{
    /// <summary>The most bytes an unscaled value may take (precision 38, what Int128 holds).</summary>
    public const int MaxBytes = 16;

    public static void Set(ref TlcTrip trip, TlcFields which, ReadOnlySpan<byte> bytes, double divisor)
    {
        if (bytes.IsEmpty || bytes.Length > MaxBytes)
        {
            trip.SetUnreadable(which);
            return;
        }

        Int128 unscaled = (sbyte)bytes[0] < 0 ? Int128.NegativeOne : Int128.Zero;
        foreach (var b in bytes)
        {
            unscaled = (unscaled << 8) | b;
        }

        trip.SetNumber(which, (double)unscaled / divisor);
    }

    /// <summary>10^scale, exact for the scales a decimal of up to 38 digits can have in a double's exact range (≤ 22).</summary>
    public static double Divisor(int scale)
    {
        var divisor = 1.0;
        for (var i = 0; i < scale; i++)
        {
            divisor *= 10;
        }

        return divisor;
    }
}

/// <summary>
/// BYTE_ARRAY text (UTF-8): the 2021 files' zone ids, or timestamps in some re-saved files. Decoded into one reused char
/// buffer and parsed from there, so no string is made per row.
/// </summary>
internal unsafe struct Utf8TextSetter : IParquetValueSetter<ByteArray>
{
    private char[]? _chars;

    public void Set(ref TlcTrip trip, TlcFields which, ByteArray value)
    {
        var bytes = new ReadOnlySpan<byte>((void*)value.Pointer, value.Length);
        var most = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars is null || _chars.Length < most)
        {
            _chars = new char[Math.Max(most, 64)];
        }

        var length = Encoding.UTF8.GetChars(bytes, _chars);
        trip.SetText(which, _chars.AsSpan(0, length));
    }
}

/// <summary>
/// INT64 TIMESTAMP in milli-, micro- or nanoseconds since 1970-01-01. Taken as wall-clock time (DateTimeKind.Unspecified)
/// whether or not the file marks it adjusted to UTC: TLC times are New York local times without a zone, and a kind other
/// than Unspecified would let a later writer shift them by the machine's zone. A value beyond DateTime's range is unreadable.
/// </summary>
internal readonly struct EpochTimestampSetter : IParquetValueSetter<long>
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly long _ticksPerUnit;
    private readonly long _unitsPerTick;
    private readonly long _lowest;
    private readonly long _highest;

    public EpochTimestampSetter(TimeUnit unit)
    {
        (_ticksPerUnit, _unitsPerTick) = unit switch
        {
            TimeUnit.Millis => (TimeSpan.TicksPerMillisecond, 1L),
            TimeUnit.Micros => (TimeSpan.TicksPerMicrosecond, 1L),
            TimeUnit.Nanos => (1L, TimeSpan.NanosecondsPerTick),
            _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "not a timestamp unit"),
        };

        // The raw values that land within DateTime's range, checked before any multiplication can overflow (computed wide:
        // in nanoseconds that range is wider than a long, so every nanosecond value is in range).
        _lowest = (long)Int128.Clamp((Int128)(-EpochTicks) / _ticksPerUnit * _unitsPerTick, long.MinValue, long.MaxValue);
        _highest = (long)Int128.Clamp((Int128)(DateTime.MaxValue.Ticks - EpochTicks) / _ticksPerUnit * _unitsPerTick, long.MinValue, long.MaxValue);
    }

    public void Set(ref TlcTrip trip, TlcFields which, long value)
    {
        if (value < _lowest || value > _highest)
        {
            trip.SetUnreadable(which);
            return;
        }

        trip.SetTimestamp(which, new DateTime(EpochTicks + (value * _ticksPerUnit / _unitsPerTick), DateTimeKind.Unspecified));
    }
}

/// <summary>
/// INT96 (Impala, Spark, old pandas): nanoseconds of the day in the low 8 bytes (little-endian), then the Julian day
/// number. Wall-clock time, as <see cref="EpochTimestampSetter"/>.
/// </summary>
internal readonly struct Int96TimestampSetter : IParquetValueSetter<Int96>
{
    /// <summary>The Julian day number of 1970-01-01.</summary>
    private const long UnixEpochJulianDay = 2_440_588;

    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly long LowestDay = UnixEpochJulianDay - (EpochTicks / TimeSpan.TicksPerDay);
    private static readonly long HighestDay = UnixEpochJulianDay + ((DateTime.MaxValue.Ticks - EpochTicks) / TimeSpan.TicksPerDay);

    public void Set(ref TlcTrip trip, TlcFields which, Int96 value)
    {
        var nanosOfDay = (long)((uint)value.A | ((ulong)(uint)value.B << 32));
        long day = value.C;
        if (day < LowestDay || day > HighestDay || nanosOfDay < 0 || nanosOfDay >= TimeSpan.NanosecondsPerTick * TimeSpan.TicksPerDay)
        {
            trip.SetUnreadable(which);
            return;
        }

        var ticks = EpochTicks + ((day - UnixEpochJulianDay) * TimeSpan.TicksPerDay) + (nanosOfDay / TimeSpan.NanosecondsPerTick);
        if (ticks > DateTime.MaxValue.Ticks)
        {
            trip.SetUnreadable(which);
            return;
        }

        trip.SetTimestamp(which, new DateTime(ticks, DateTimeKind.Unspecified));
    }
}
