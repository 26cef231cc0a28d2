namespace StreamPredict.Data.Tlc;

/// <summary>
/// One row of a TLC file as stored, before any check: the five fields the model and the course's filter need. Any of
/// them may be missing (null or blank) or unreadable (text that is not a number or a timestamp); <see cref="Present"/>
/// and <see cref="Unreadable"/> say which. Location ids are kept as read (int, long, double or text), so that 130.5
/// or 1e12 stays visible to the validation that refuses it.
/// </summary>
public struct TlcTrip
{
    /// <summary>Wall-clock time as the file has it (TLC timestamps are New York local time without a zone).</summary>
    public DateTime Pickup { get; set; }

    public DateTime Dropoff { get; set; }

    public double PickupLocationId { get; set; }

    public double DropoffLocationId { get; set; }

    public double TripDistance { get; set; }

    /// <summary>Fields that hold a value (not null, not blank).</summary>
    public TlcFields Present { get; set; }

    /// <summary>Fields that hold text that is not a number or a timestamp (a subset of <see cref="Present"/>).</summary>
    public TlcFields Unreadable { get; set; }

    /// <summary>All five fields present and readable.</summary>
    public readonly bool IsComplete => Present == TlcFields.All && Unreadable == TlcFields.None;

    /// <summary>Dropoff minus pickup in minutes; meaningful only when both timestamps are present and readable.</summary>
    public readonly double DurationMinutes => (Dropoff - Pickup).TotalMinutes;

    public readonly bool Has(TlcFields field) => (Present & field) == field && (Unreadable & field) == 0;

    /// <summary>Sets a timestamp field (pickup or dropoff) and marks it present.</summary>
    internal void SetTimestamp(TlcFields which, DateTime value)
    {
        Present |= which;
        if (which == TlcFields.Pickup)
        {
            Pickup = value;
        }
        else
        {
            Dropoff = value;
        }
    }

    /// <summary>Sets a number field (a location id or the distance) and marks it present.</summary>
    internal void SetNumber(TlcFields which, double value)
    {
        Present |= which;
        switch (which)
        {
            case TlcFields.PickupLocation:
                PickupLocationId = value;
                break;
            case TlcFields.DropoffLocation:
                DropoffLocationId = value;
                break;
            default:
                TripDistance = value;
                break;
        }
    }

    /// <summary>The field holds text that is not a number or a timestamp.</summary>
    internal void SetUnreadable(TlcFields which)
    {
        Present |= which;
        Unreadable |= which;
    }

    /// <summary>A text value: blank is missing; otherwise parsed as the field's kind, or marked unreadable.</summary>
    internal void SetText(TlcFields which, ReadOnlySpan<char> text)
    {
        if (text.Trim().IsEmpty)
        {
            return;
        }

        if (which is TlcFields.Pickup or TlcFields.Dropoff)
        {
            if (TlcText.TryParseTimestamp(text, out var timestamp))
            {
                SetTimestamp(which, timestamp);
                return;
            }
        }
        else if (TlcText.TryParseNumber(text, out var number))
        {
            SetNumber(which, number);
            return;
        }

        SetUnreadable(which);
    }
}
