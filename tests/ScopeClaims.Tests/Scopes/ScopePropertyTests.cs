using CsCheck;
using Microsoft.IdentityModel.JsonWebTokens;
using ScopeClaims;

namespace ScopeClaims.Tests.Scopes;

/// <summary>Properties over the RFC 6749 §3.3 grammar, checked on random inputs.</summary>
public class ScopePropertyTests
{
    internal static readonly Gen<char> ScopeChar = Gen.Char['!', '~'].Where(c => c != '"' && c != '\\');
    internal static readonly Gen<string> Scope = ScopeChar.Array[1, 24].Select(a => new string(a));
    internal static readonly Gen<string[]> Scopes = Scope.Array[0, 20];

    [Fact]
    public void AnyValidSet_RoundTripsThroughStringAndSequence()
    {
        Scopes.Sample(scopes =>
        {
            var set = ScopeSet.Create(scopes);
            Assert.Equal(set.ToArray(), ScopeSet.Parse(set.ToString()).ToArray());
            Assert.Equal(scopes.Distinct(StringComparer.Ordinal).ToArray(), set.ToArray());
            Assert.Equal(set, ScopeSet.Parse("  " + string.Join("   ", scopes.AsEnumerable().Reverse()) + " "));
        }, iter: 2000);
    }

    [Fact]
    public void AnyValueWithACharacterOutsideTheGrammar_IsRefused()
    {
        var outside = Gen.OneOf(Gen.Char['\0', '\x1F'], Gen.Const('\x7F'), Gen.Const('"'), Gen.Const('\\'), Gen.Char['\x80', '\uFFFF']);
        Gen.Select(Scopes, outside, Gen.Int[0, 100]).Sample((scopes, bad, at) =>
        {
            var value = string.Join(' ', scopes);
            var position = value.Length == 0 ? 0 : at % (value.Length + 1);
            var hostile = value.Insert(position, bad.ToString());

            var ex = Assert.Throws<ScopeFormatException>(() => ScopeSet.Parse(hostile));
            Assert.Equal(ScopeErrorReason.InvalidCharacter, ex.Reason);
            Assert.False(ScopeSet.TryParse(hostile, out _));
        }, iter: 2000);
    }

    [Fact]
    public void AnyValidSet_RoundTripsThroughEverySerializerAndTheNormalizer()
    {
        var issuers = new[] { ScopeFormat.Array, ScopeFormat.SpaceDelimited, ScopeFormat.Both }
            .Select(f => new ScopeTokenIssuer(TestKeys.Options(TestKeys.Hmac, f)))
            .ToArray();

        Scopes.Sample(scopes =>
        {
            var set = ScopeSet.Create(scopes);
            foreach (var issuer in issuers)
            {
                var token = new JsonWebToken(issuer.Issue(set));
                Assert.Equal(set.ToArray(), ScopeNormalizer.Default.Read(token).ToArray());
                Assert.Equal(set, ScopeNormalizer.Default.Read(token.Claims));
            }
        }, iter: 300);
    }
}
