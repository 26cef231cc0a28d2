namespace StreamPredict.Model.Artifact;

/// <summary>
/// The envelope: {"schema":"streampredict.model/v1","sha256":"&lt;hex&gt;","model":{...}}.
/// The checksum is SHA-256 over the exact UTF-8 bytes of the "model" value as they appear in the file,
/// from its opening brace to its closing brace, so any writer can serialize once, hash, and splice.
/// </summary>
public static class ModelDocument
{
    public const string Schema = "streampredict.model/v1";
    internal const string SchemaProperty = "schema";
    internal const string Sha256Property = "sha256";
    internal const string ModelProperty = "model";
}
