using System.Text.Json.Serialization;

namespace KmlSim.Harness;

/// <summary>System.Text.Json source generation for the harness's report records (no reflection at run time).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunConfiguration))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
