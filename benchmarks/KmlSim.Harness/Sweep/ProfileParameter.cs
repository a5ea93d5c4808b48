using System.Globalization;
using System.Reflection;
using KmlSim.Timing.Profiles;

namespace KmlSim.Harness;

/// <summary>
/// A sweepable number of <see cref="CpuProfile"/>: any public init-only property of type int, long,
/// double or bool, found by reflection so a parameter added to the profile is sweepable at once. A value
/// is applied with <c>with</c> semantics: the record is cloned (its compiler-generated clone method, which
/// <c>with</c> calls) and the one property set on the copy.
/// </summary>
internal sealed class ProfileParameter
{
    private static readonly MethodInfo CloneMethod = typeof(CpuProfile).GetMethod("<Clone>$")
        ?? throw new InvalidOperationException("CpuProfile is not a record (no clone method)");

    private readonly PropertyInfo property;

    private ProfileParameter(PropertyInfo property) => this.property = property;

    /// <summary>Every sweepable parameter, by name.</summary>
    public static IReadOnlyList<string> Names { get; } = Sweepable().Select(p => p.Name).ToArray();

    /// <summary>The parameter's name (the property's).</summary>
    public string Name => property.Name;

    /// <summary>The parameter called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="UsageException">The profile has no such sweepable parameter.</exception>
    public static ProfileParameter Find(string name) =>
        Sweepable().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { } property
            ? new ProfileParameter(property)
            : throw new UsageException(Suggestions.Closest(name, Names) is { Count: > 0 } close
                ? $"'{name}' is not a profile parameter: did you mean {string.Join(" or ", close)}?"
                : $"'{name}' is not a profile parameter: use one of {string.Join(", ", Names)}");

    /// <summary>A copy of <paramref name="profile"/> with this parameter set to <paramref name="value"/>, named after the change.</summary>
    /// <exception cref="UsageException">The value is not of the parameter's type.</exception>
    public CpuProfile Apply(CpuProfile profile, string value)
    {
        object parsed = Parse(value);
        var copy = (CpuProfile)CloneMethod.Invoke(profile, null)!;
        property.SetValue(copy, parsed);
        return copy with { Name = $"{profile.Name} {Name}={value}" };
    }

    /// <summary>The value converted to the property's type; numbers must not be negative (no profile parameter is).</summary>
    /// <exception cref="UsageException">It does not convert.</exception>
    public object Parse(string value)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        Type type = property.PropertyType;
        object? parsed = type == typeof(int) && int.TryParse(value, NumberStyles.None, invariant, out int i) ? i
            : type == typeof(long) && long.TryParse(value, NumberStyles.None, invariant, out long l) ? l
            : type == typeof(double) && double.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, invariant, out double d) && double.IsFinite(d) ? d
            : type == typeof(bool) && bool.TryParse(value, out bool b) ? b
            : null;
        return parsed ?? throw new UsageException($"{Name} takes non-negative {type.Name} values, not '{value}'");
    }

    private static IEnumerable<PropertyInfo> Sweepable() =>
        typeof(CpuProfile).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && IsInitOnly(p.SetMethod))
            .Where(p => p.PropertyType == typeof(int) || p.PropertyType == typeof(long) || p.PropertyType == typeof(double) || p.PropertyType == typeof(bool));

    // An init accessor carries the IsExternalInit modifier on its return parameter.
    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));
}
