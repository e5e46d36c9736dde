using System.Text.Json;

namespace ScopeClaims.Internal;

/// <summary>Implemented by the shipped serializers: writes the scope claims straight into the payload JSON.</summary>
internal interface IUtf8ScopeWriter
{
    void Write(ScopeSet scopes, Utf8JsonWriter writer);
}
