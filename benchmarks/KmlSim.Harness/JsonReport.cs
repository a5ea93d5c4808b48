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
/// Every report ends with <c>"syscallsByName"</c> (the run's system calls by name) and <c>"processes"</c>: one
/// object per process, <c>{"pid","parentPid","executable","outcome","exitCode","signal","instructions","syscalls","syscallsByName"}</c>
/// (<c>outcome</c> null while the process still runs; <c>exitCode</c> here is the process's own exit status).
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
        WriteOptional(json, "signal", result.Signal);

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

        WriteMap(json, "syscallsByName", result.SyscallsByName);
        json.WriteStartArray("processes");
        foreach (ProcessResult process in result.Processes)
        {
            WriteProcess(json, process);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteProcess(Utf8JsonWriter json, ProcessResult process)
    {
        json.WriteStartObject();
        json.WriteNumber("pid", process.Pid);
        json.WriteNumber("parentPid", process.ParentPid);
        json.WriteString("executable", process.ExecutablePath);
        WriteOptional(json, "outcome", process.Outcome is { } outcome ? OutcomeName(outcome) : null);
        WriteOptional(json, "exitCode", process.ExitCode);
        WriteOptional(json, "signal", process.Signal);
        json.WriteNumber("instructions", process.Instructions);
        json.WriteNumber("syscalls", process.Syscalls);
        WriteMap(json, "syscallsByName", process.SyscallsByName);
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
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
