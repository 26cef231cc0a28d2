namespace StreamPredict.Training.MlNet;

/// <summary>Which one-hot groups describe a ride's zones, besides trip_distance (always the last column).</summary>
public enum RideEncoding
{
    /// <summary>"PULocationID={z}" and "DOLocationID={z}": two groups of about 260 columns, split as categories.</summary>
    Zones,

    /// <summary>"PU_DO={pu}_{do}" only, the course's DictVectorizer features (about 13,000 columns).</summary>
    Pairs,

    /// <summary>The pair group and both zone groups.</summary>
    ZonesAndPairs,
}
