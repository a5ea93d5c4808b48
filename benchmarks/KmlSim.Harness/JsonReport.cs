using System.Text.Json;

namespace KmlSim.Harness;

/// <summary>
/// The JSON report of <c>kmlsim run --json</c>, in the contract of issue 2 (later issues extend it):
/// <c>{"outcome","exitCode","signal","instructions","hostSeconds","cycles","syscalls","translatedSyscalls","timerInterrupts","unimplementedSyscalls"}</c>.
/// <c>exitCode</c> is kmlsim's exit status for the run (the guest's code, 128 + signal, 124 limit,
/// 125 error); <c>cycles</c> is <c>{"total","user","system"}</c> with a timing model (null with
/// <c>--timing none</c>), which then also adds, after <c>unimplementedSyscalls</c>: <c>"counters"</c> (event
/// counts, with the cross-cutting <c>refillCycles</c> and <c>memoryStallCycles</c>), <c>"regions"</c> (cycles per
/// accounting region), <c>"breakdown"</c> (cycles by cause, keys of <see cref="Observation.CycleCauses"/>, adding
/// up to total + idle), <c>"instructionBreakdown"</c> (instructions by the same causes) and <c>"perSyscall"</c> (by call
/// name: <c>{"count","cycles","breakdown","instructions"}</c> with the same keys).
/// </summary>
internal static class JsonReport
{
    /// <summary>Writes the report of <paramref name="result"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, RunResult result, int exitStatus)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("outcome", OutcomeName(result.Outcome));
        json.WriteNumber("exitCode", exitStatus);
        if (result.Signal is { } signal)
        {
            json.WriteNumber("signal", signal);
        }
        else
        {
            json.WriteNull("signal");
        }

        json.WriteNumber("instructions", result.Instructions);
        json.WriteNumber("hostSeconds", result.HostSeconds);
        if (result.Timing is { } timing)
        {
            json.WriteStartObject("cycles");
            json.WriteNumber("total", timing.TotalCycles);
            json.WriteNumber("user", timing.UserCycles);
            json.WriteNumber("system", timing.SystemCycles);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("cycles");
        }

        json.WriteNumber("syscalls", result.Syscalls);
        json.WriteNumber("translatedSyscalls", result.TranslatedSyscalls);
        json.WriteNumber("timerInterrupts", result.TimerInterrupts);
        json.WriteStartObject("unimplementedSyscalls");
        foreach (var (name, count) in result.UnimplementedSyscalls.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(name, count);
        }

        json.WriteEndObject();
        if (result.Timing is { } counted)
        {
            WriteMap(json, "counters", counted.Counters);
            WriteMap(json, "regions", counted.RegionCycles);
            WriteMap(json, "breakdown", counted.Breakdown);
            WriteMap(json, "instructionBreakdown", counted.InstructionBreakdown);
            json.WriteStartObject("perSyscall");
            foreach (var (name, call) in counted.Syscalls.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(name);
                json.WriteNumber("count", call.Count);
                json.WriteNumber("cycles", call.Cycles);
                WriteMap(json, "breakdown", call.Breakdown);
                WriteMap(json, "instructions", call.Instructions);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteMap(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, long> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(key, value);
        }

        json.WriteEndObject();
    }

    /// <summary>The contract's outcome names: exited, signaled, triple-fault, limit, error.</summary>
    public static string OutcomeName(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Exited => "exited",
        RunOutcome.Signaled => "signaled",
        RunOutcome.TripleFault => "triple-fault",
        RunOutcome.Limit => "limit",
        _ => "error",
    };
}
