namespace StreamPredict.Batch;

/// <summary>What happens to one input row; every row gets exactly one, so rows in = scored + filtered + rejected.</summary>
public enum RowOutcome
{
    /// <summary>Inside the course's filter and valid: predicted and written.</summary>
    Scored,

    /// <summary>A duration outside 1..60 minutes: left out, as the course leaves it out, and counted.</summary>
    Filtered,

    /// <summary>A bad row (a missing or unusable timestamp, zone or distance): written to the rejected file with the reason.</summary>
    Rejected,
}
