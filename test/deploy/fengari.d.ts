// The part of fengari's API (Lua 5.3 in JavaScript) the Argo CD health check tests use; it ships no types.
declare module 'fengari' {
  type LuaState = object;
  type LuaString = Uint8Array;
  const fengari: {
    to_luastring: (text: string) => LuaString;
    lua: {
      LUA_OK: number;
      LUA_TTABLE: number;
      lua_pushnil(L: LuaState): void;
      lua_pushboolean(L: LuaState, value: boolean): void;
      lua_pushinteger(L: LuaState, value: number): void;
      lua_pushnumber(L: LuaState, value: number): void;
      lua_pushstring(L: LuaState, value: LuaString): void;
      lua_createtable(L: LuaState, arrayItems: number, fields: number): void;
      lua_rawseti(L: LuaState, index: number, n: number): void;
      lua_setfield(L: LuaState, index: number, key: LuaString): void;
      lua_getfield(L: LuaState, index: number, key: LuaString): number;
      lua_setglobal(L: LuaState, name: LuaString): void;
      lua_pcall(L: LuaState, nargs: number, nresults: number, handler: number): number;
      lua_type(L: LuaState, index: number): number;
      lua_tojsstring(L: LuaState, index: number): string;
      lua_pop(L: LuaState, n: number): void;
    };
    lauxlib: {
      luaL_newstate(): LuaState;
      luaL_loadstring(L: LuaState, source: LuaString): number;
    };
    lualib: {
      luaL_openlibs(L: LuaState): void;
    };
  };
  export default fengari;
}
