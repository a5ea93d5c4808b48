namespace KmlSim.Interrupts;

/// <summary>The manuals' short names of exception vectors, for diagnostics.</summary>
public static class ExceptionNames
{
    private static readonly string[] Mnemonics =
    [
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9", "#TS", "#NP", "#SS", "#GP", "#PF",
        "vector 15", "#MF", "#AC", "#MC", "#XF",
    ];

    /// <summary>"#PF", "#GP"... for processor exceptions, "vector 0x20" for the rest.</summary>
    public static string Mnemonic(byte vector) => vector < Mnemonics.Length ? Mnemonics[vector] : $"vector 0x{vector:x2}";
}
