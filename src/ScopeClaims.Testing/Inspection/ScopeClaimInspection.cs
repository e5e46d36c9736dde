using System;
using System.Collections.Generic;
using System.Text.Json;
using ScopeClaims.Testing.Internal;

namespace ScopeClaims.Testing;

/// <summary>One claim of an inspected token, seen as a scope claim: its name, JSON shape, values and JSON text.</summary>
/// <remarks>Read from a token that was <em>not</em> validated; see <see cref="TokenInspector.InspectUnvalidated"/>.</remarks>
public sealed class ScopeClaimInspection
{
    private ScopeClaimInspection(string name, ScopeClaimShape shape, IReadOnlyList<string> values, string? json, string description, string? text = null)
    {
        Text = text;
        Name = name;
        Shape = shape;
        Values = values;
        Json = json;
        Description = description;
    }

    /// <summary>Gets the claim name.</summary>
    public string Name { get; }

    /// <summary>Gets the JSON shape of the claim's value.</summary>
    public ScopeClaimShape Shape { get; }

    /// <summary>
    /// Gets the values as written: the elements of an <see cref="ScopeClaimShape.Array"/>, or the words of a
    /// <see cref="ScopeClaimShape.SpaceDelimited"/> split on spaces; empty for the other shapes.
    /// </summary>
    /// <remarks>Values are not checked against the RFC 6749 grammar here; <see cref="TokenInspection.Scopes"/> is.</remarks>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Gets the claim's value as JSON text, exactly as in the payload; <see langword="null"/> when <see cref="ScopeClaimShape.Absent"/>.</summary>
    public string? Json { get; }

    /// <summary>Gets a short description of the shape and value, as failure messages show it, e.g. <c>array ["a","b"]</c>.</summary>
    public string Description { get; }

    /// <summary>Gets the decoded string of a <see cref="ScopeClaimShape.SpaceDelimited"/>; otherwise <see langword="null"/>.</summary>
    internal string? Text { get; }

    /// <summary>Returns <see cref="Description"/>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Description;

    internal static ScopeClaimInspection Absent(string name) =>
        new(name, ScopeClaimShape.Absent, Array.Empty<string>(), null, "absent");

    internal static ScopeClaimInspection From(string name, JsonElement value)
    {
        var json = value.GetRawText();
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return new(name, ScopeClaimShape.SpaceDelimited, words, json, "space-delimited string " + JsonText.Shorten(json), text);

            case JsonValueKind.Array:
                var elements = new List<string>();
                foreach (var element in value.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.String)
                    {
                        return new(name, ScopeClaimShape.Other, Array.Empty<string>(), json, "an array holding " + JsonText.Kind(element.ValueKind) + " element " + JsonText.Shorten(json));
                    }

                    elements.Add(element.GetString()!);
                }

                return new(name, ScopeClaimShape.Array, elements, json, "array " + JsonText.Shorten(json));

            default:
                return new(name, ScopeClaimShape.Other, Array.Empty<string>(), json, JsonText.Kind(value.ValueKind) + " " + JsonText.Shorten(json));
        }
    }
}
