//! The small expression language of rule packs: `failure_rate >= 5%`, `news + notices >= 5`,
//! `activities < if(site.kind == "portal", $portal_min, $other_min)`.
//!
//! Expressions are parsed and type-checked when a pack loads; evaluation cannot fail on types. Missing facts
//! propagate as [`Undefined`] with three-valued `and`/`or`, so `false and <missing>` is false.

use crate::model::ratio::Ratio;
use std::borrow::Cow;
use std::sync::Arc;

/// Static type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// Exact number.
    Num,
    /// Boolean.
    Bool,
    /// Text.
    Str,
}

impl Ty {
    /// Lowercase name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Num => "number",
            Ty::Bool => "boolean",
            Ty::Str => "text",
        }
    }
}

/// A runtime value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Exact number.
    Num(Ratio),
    /// Boolean.
    Bool(bool),
    /// Text.
    Str(Arc<str>),
}

/// Why a value could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undefined {
    /// A fact it depends on is missing from the observation.
    NoData,
    /// Arithmetic overflowed or divided by zero.
    Arithmetic,
}

/// A resolved variable reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    /// A measure of the rule, by index.
    Measure(usize),
    /// A pack parameter, by index.
    Param(usize),
    /// A value of the scoring context (`score`, `total_deduction`), by index.
    Context(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

/// A compiled expression.
#[derive(Debug, Clone)]
pub enum Expr {
    /// Literal.
    Lit(Val),
    /// Variable.
    Var(Var),
    /// Negation of a number.
    Neg(Box<Expr>),
    /// Logical not.
    Not(Box<Expr>),
    /// Three-valued and.
    And(Box<Expr>, Box<Expr>),
    /// Three-valued or.
    Or(Box<Expr>, Box<Expr>),
    /// Comparison.
    #[doc(hidden)]
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// Arithmetic.
    #[doc(hidden)]
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    /// `if(c, a, b)`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `min(a, b, …)`.
    Min(Vec<Expr>),
    /// `max(a, b, …)`.
    Max(Vec<Expr>),
    /// `floor(a)`.
    Floor(Box<Expr>),
}

/// Comparison operator (opaque).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CmpOp(pub(crate) Cmp);

/// Arithmetic operator (opaque).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArithOp(pub(crate) Arith);

/// Small codes for compiled packs: the matches stop compiling when an operator is added.
#[cfg(feature = "compiled-packs")]
impl CmpOp {
    pub(crate) fn code(self) -> u8 {
        match self.0 {
            Cmp::Lt => 0,
            Cmp::Le => 1,
            Cmp::Gt => 2,
            Cmp::Ge => 3,
            Cmp::Eq => 4,
            Cmp::Ne => 5,
        }
    }
    pub(crate) fn from_code(c: u8) -> Option<CmpOp> {
        [Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge, Cmp::Eq, Cmp::Ne]
            .get(usize::from(c))
            .map(|&op| CmpOp(op))
    }
}

#[cfg(feature = "compiled-packs")]
impl ArithOp {
    pub(crate) fn code(self) -> u8 {
        match self.0 {
            Arith::Add => 0,
            Arith::Sub => 1,
            Arith::Mul => 2,
            Arith::Div => 3,
        }
    }
    pub(crate) fn from_code(c: u8) -> Option<ArithOp> {
        [Arith::Add, Arith::Sub, Arith::Mul, Arith::Div]
            .get(usize::from(c))
            .map(|&op| ArithOp(op))
    }
}

/// A problem found while compiling an expression; `at` is a char offset into the expression text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// Syntax, type or name.
    pub kind: ExprErrorKind,
    /// What is wrong.
    pub message: String,
    /// Char offset in the expression text.
    pub at: usize,
    /// A suggestion, if any.
    pub help: Option<String>,
}

/// Kind of expression problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExprErrorKind {
    /// Does not parse.
    Syntax,
    /// Types do not fit.
    Type,
    /// Names something unknown.
    Name,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Ratio),
    Str(Arc<str>),
    Ident(String),
    Param(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let syntax = |msg: String, at: usize| ExprError {
        kind: ExprErrorKind::Syntax,
        message: msg,
        at,
        help: None,
    };
    while let Some(&c) = chars.get(i) {
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            while chars.get(i).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
                i += 1;
            }
            let text: String = chars.get(start..i).unwrap_or_default().iter().collect();
            let mut value =
                Ratio::parse(&text).ok_or_else(|| syntax(format!("bad number `{text}`"), start))?;
            if chars.get(i) == Some(&'%') {
                i += 1;
                value = value
                    .checked_div(Ratio::int(100))
                    .ok_or_else(|| syntax("bad percentage".into(), start))?;
            }
            out.push((Tok::Num(value), start));
            continue;
        }
        if c == '"' || c == '\'' {
            i += 1;
            let s0 = i;
            while chars.get(i).is_some_and(|x| *x != c) {
                i += 1;
            }
            if chars.get(i).is_none() {
                return Err(syntax("unterminated text literal".into(), start));
            }
            let s: String = chars.get(s0..i).unwrap_or_default().iter().collect();
            i += 1;
            out.push((Tok::Str(Arc::from(s)), start));
            continue;
        }
        let ident_char = |c: &char| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '-';
        if c == '$' {
            i += 1;
            while chars.get(i).is_some_and(ident_char) {
                i += 1;
            }
            let name: String = chars.get(start + 1..i).unwrap_or_default().iter().collect();
            if name.is_empty() {
                return Err(syntax("`$` must be followed by a parameter name".into(), start));
            }
            out.push((Tok::Param(name), start));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            // `-` inside names only between letters (so `a-b` with spaces is subtraction).
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            {
                i += 1;
            }
            let name: String = chars.get(start..i).unwrap_or_default().iter().collect();
            out.push((Tok::Ident(name), start));
            continue;
        }
        let two: String = chars.get(i..i + 2).unwrap_or_default().iter().collect();
        let op2 = ["<=", ">=", "==", "!=", "&&", "||"]
            .into_iter()
            .find(|o| *o == two);
        if let Some(op) = op2 {
            out.push((Tok::Op(op), start));
            i += 2;
            continue;
        }
        let tok = match c {
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            '<' => Tok::Op("<"),
            '>' => Tok::Op(">"),
            '+' => Tok::Op("+"),
            '-' => Tok::Op("-"),
            '*' => Tok::Op("*"),
            '/' => Tok::Op("/"),
            '!' => Tok::Op("!"),
            '=' => return Err(syntax("use `==` to compare".into(), start)),
            _ => return Err(syntax(format!("unexpected character `{c}`"), start)),
        };
        out.push((tok, start));
        i += 1;
    }
    Ok(out)
}

/// Resolves names while compiling.
pub trait Scope {
    /// A dotted name (measure or built-in fact) → variable and type.
    fn name(&mut self, name: &str) -> Result<(Var, Ty), String>;
    /// A `$param` → variable and type.
    fn param(&mut self, name: &str) -> Result<(Var, Ty), String>;
}

struct Parser<'a> {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
    scope: &'a mut dyn Scope,
}

type Typed = (Expr, Ty);

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }
    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(_, a)| *a)
    }
    fn err(&self, kind: ExprErrorKind, message: String, at: usize) -> ExprError {
        ExprError {
            kind,
            message,
            at,
            help: None,
        }
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s == w)
    }
    fn is_op(&self, o: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(s)) if *s == o)
    }
    fn expect_ty(&self, got: Ty, want: Ty, at: usize, what: &str) -> Result<(), ExprError> {
        if got == want {
            Ok(())
        } else {
            Err(self.err(
                ExprErrorKind::Type,
                format!("{what} needs a {} but this is a {}", want.name(), got.name()),
                at,
            ))
        }
    }

    fn or(&mut self) -> Result<Typed, ExprError> {
        let at = self.at();
        let mut l = self.and()?;
        while self.is_word("or") || self.is_op("||") {
            self.pos += 1;
            let rat = self.at();
            let r = self.and()?;
            self.expect_ty(l.1, Ty::Bool, at, "`or`")?;
            self.expect_ty(r.1, Ty::Bool, rat, "`or`")?;
            l = (Expr::Or(Box::new(l.0), Box::new(r.0)), Ty::Bool);
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Typed, ExprError> {
        let at = self.at();
        let mut l = self.not()?;
        while self.is_word("and") || self.is_op("&&") {
            self.pos += 1;
            let rat = self.at();
            let r = self.not()?;
            self.expect_ty(l.1, Ty::Bool, at, "`and`")?;
            self.expect_ty(r.1, Ty::Bool, rat, "`and`")?;
            l = (Expr::And(Box::new(l.0), Box::new(r.0)), Ty::Bool);
        }
        Ok(l)
    }
    fn not(&mut self) -> Result<Typed, ExprError> {
        if self.is_word("not") || self.is_op("!") {
            self.pos += 1;
            let at = self.at();
            let e = self.not()?;
            self.expect_ty(e.1, Ty::Bool, at, "`not`")?;
            return Ok((Expr::Not(Box::new(e.0)), Ty::Bool));
        }
        self.cmp()
    }
    fn cmp(&mut self) -> Result<Typed, ExprError> {
        let at = self.at();
        let l = self.add()?;
        let op = match self.peek() {
            Some(Tok::Op("<")) => Cmp::Lt,
            Some(Tok::Op("<=")) => Cmp::Le,
            Some(Tok::Op(">")) => Cmp::Gt,
            Some(Tok::Op(">=")) => Cmp::Ge,
            Some(Tok::Op("==")) => Cmp::Eq,
            Some(Tok::Op("!=")) => Cmp::Ne,
            _ => return Ok(l),
        };
        self.pos += 1;
        let r = self.add()?;
        if l.1 != r.1 {
            return Err(self.err(
                ExprErrorKind::Type,
                format!("cannot compare a {} with a {}", l.1.name(), r.1.name()),
                at,
            ));
        }
        if l.1 != Ty::Num && !matches!(op, Cmp::Eq | Cmp::Ne) {
            return Err(self.err(
                ExprErrorKind::Type,
                format!("only numbers can be ordered, not a {}", l.1.name()),
                at,
            ));
        }
        Ok((Expr::Cmp(CmpOp(op), Box::new(l.0), Box::new(r.0)), Ty::Bool))
    }
    fn add(&mut self) -> Result<Typed, ExprError> {
        let at = self.at();
        let mut l = self.mul()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op("+")) => Arith::Add,
                Some(Tok::Op("-")) => Arith::Sub,
                _ => return Ok(l),
            };
            self.pos += 1;
            let rat = self.at();
            let r = self.mul()?;
            self.expect_ty(l.1, Ty::Num, at, "arithmetic")?;
            self.expect_ty(r.1, Ty::Num, rat, "arithmetic")?;
            l = (Expr::Arith(ArithOp(op), Box::new(l.0), Box::new(r.0)), Ty::Num);
        }
    }
    fn mul(&mut self) -> Result<Typed, ExprError> {
        let at = self.at();
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op("*")) => Arith::Mul,
                Some(Tok::Op("/")) => Arith::Div,
                _ => return Ok(l),
            };
            self.pos += 1;
            let rat = self.at();
            let r = self.unary()?;
            self.expect_ty(l.1, Ty::Num, at, "arithmetic")?;
            self.expect_ty(r.1, Ty::Num, rat, "arithmetic")?;
            l = (Expr::Arith(ArithOp(op), Box::new(l.0), Box::new(r.0)), Ty::Num);
        }
    }
    fn unary(&mut self) -> Result<Typed, ExprError> {
        if self.is_op("-") {
            self.pos += 1;
            let at = self.at();
            let e = self.unary()?;
            self.expect_ty(e.1, Ty::Num, at, "`-`")?;
            return Ok((Expr::Neg(Box::new(e.0)), Ty::Num));
        }
        self.atom()
    }
    fn args(&mut self, name: &str, at: usize) -> Result<Vec<Typed>, ExprError> {
        self.pos += 1; // '('
        let mut args = Vec::new();
        if matches!(self.peek(), Some(Tok::RParen)) {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            args.push(self.or()?);
            match self.peek() {
                Some(Tok::Comma) => self.pos += 1,
                Some(Tok::RParen) => {
                    self.pos += 1;
                    return Ok(args);
                }
                _ => {
                    return Err(self.err(
                        ExprErrorKind::Syntax,
                        format!("expected `,` or `)` in the arguments of `{name}`"),
                        self.at().max(at),
                    ));
                }
            }
        }
    }
    fn call(&mut self, name: &str, at: usize) -> Result<Typed, ExprError> {
        let args = self.args(name, at)?;
        let arity = |n: usize| -> Result<(), ExprError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(ExprError {
                    kind: ExprErrorKind::Syntax,
                    message: format!("`{name}` takes {n} arguments, not {}", args.len()),
                    at,
                    help: None,
                })
            }
        };
        match name {
            "if" => {
                arity(3)?;
                let mut it = args.into_iter();
                let (Some(c), Some(a), Some(b)) = (it.next(), it.next(), it.next()) else {
                    return Err(self.err(ExprErrorKind::Syntax, "`if` takes 3 arguments".into(), at));
                };
                self.expect_ty(c.1, Ty::Bool, at, "the condition of `if`")?;
                if a.1 != b.1 {
                    return Err(self.err(
                        ExprErrorKind::Type,
                        format!(
                            "both branches of `if` must have one type, not {} and {}",
                            a.1.name(),
                            b.1.name()
                        ),
                        at,
                    ));
                }
                Ok((Expr::If(Box::new(c.0), Box::new(a.0), Box::new(b.0)), a.1))
            }
            "min" | "max" => {
                if args.is_empty() {
                    return Err(self.err(ExprErrorKind::Syntax, format!("`{name}` needs arguments"), at));
                }
                for a in &args {
                    self.expect_ty(a.1, Ty::Num, at, &format!("`{name}`"))?;
                }
                let es = args.into_iter().map(|a| a.0).collect();
                Ok((
                    if name == "min" {
                        Expr::Min(es)
                    } else {
                        Expr::Max(es)
                    },
                    Ty::Num,
                ))
            }
            "floor" => {
                arity(1)?;
                let a = args
                    .into_iter()
                    .next()
                    .ok_or_else(|| self.err(ExprErrorKind::Syntax, "".into(), at))?;
                self.expect_ty(a.1, Ty::Num, at, "`floor`")?;
                Ok((Expr::Floor(Box::new(a.0)), Ty::Num))
            }
            _ => Err(ExprError {
                kind: ExprErrorKind::Name,
                message: format!("unknown function `{name}`"),
                at,
                help: Some("the functions are `if`, `min`, `max` and `floor`".into()),
            }),
        }
    }
    fn atom(&mut self) -> Result<Typed, ExprError> {
        let at = self.at();
        let Some((tok, _)) = self.toks.get(self.pos).cloned() else {
            return Err(self.err(ExprErrorKind::Syntax, "expression ends too early".into(), at));
        };
        match tok {
            Tok::Num(r) => {
                self.pos += 1;
                Ok((Expr::Lit(Val::Num(r)), Ty::Num))
            }
            Tok::Str(s) => {
                self.pos += 1;
                Ok((Expr::Lit(Val::Str(s)), Ty::Str))
            }
            Tok::LParen => {
                self.pos += 1;
                let e = self.or()?;
                if !matches!(self.peek(), Some(Tok::RParen)) {
                    return Err(self.err(ExprErrorKind::Syntax, "missing `)`".into(), self.at()));
                }
                self.pos += 1;
                Ok(e)
            }
            Tok::Param(name) => {
                self.pos += 1;
                let (v, ty) = self.scope.param(&name).map_err(|m| ExprError {
                    kind: ExprErrorKind::Name,
                    message: m,
                    at,
                    help: None,
                })?;
                Ok((Expr::Var(v), ty))
            }
            Tok::Ident(name) => {
                self.pos += 1;
                match name.as_str() {
                    "true" => return Ok((Expr::Lit(Val::Bool(true)), Ty::Bool)),
                    "false" => return Ok((Expr::Lit(Val::Bool(false)), Ty::Bool)),
                    "and" | "or" | "not" => {
                        return Err(self.err(ExprErrorKind::Syntax, format!("unexpected `{name}`"), at));
                    }
                    _ => {}
                }
                if matches!(self.peek(), Some(Tok::LParen)) {
                    return self.call(&name, at);
                }
                let (v, ty) = self.scope.name(&name).map_err(|m| {
                    let (message, help) = match m.split_once("; ") {
                        Some((a, b)) => (a.to_string(), Some(b.to_string())),
                        None => (m, None),
                    };
                    ExprError {
                        kind: ExprErrorKind::Name,
                        message,
                        at,
                        help,
                    }
                })?;
                Ok((Expr::Var(v), ty))
            }
            Tok::Op(o) => Err(self.err(ExprErrorKind::Syntax, format!("unexpected `{o}`"), at)),
            Tok::RParen => Err(self.err(ExprErrorKind::Syntax, "unexpected `)`".into(), at)),
            Tok::Comma => Err(self.err(ExprErrorKind::Syntax, "unexpected `,`".into(), at)),
        }
    }
}

/// Parse and type-check `src`, resolving names through `scope`.
///
/// # Errors
/// An [`ExprError`] with the char offset of the problem.
pub fn compile(src: &str, scope: &mut dyn Scope) -> Result<(Expr, Ty), ExprError> {
    let toks = lex(src)?;
    let end = src.chars().count();
    if toks.is_empty() {
        return Err(ExprError {
            kind: ExprErrorKind::Syntax,
            message: "empty expression".into(),
            at: 0,
            help: None,
        });
    }
    if toks.len() > 2_000 {
        return Err(ExprError {
            kind: ExprErrorKind::Syntax,
            message: "expression too long".into(),
            at: 0,
            help: None,
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end,
        scope,
    };
    let depth = p.toks.iter().fold((0i32, 0i32), |(d, m), (t, _)| match t {
        Tok::LParen => (d + 1, m.max(d + 1)),
        Tok::RParen => (d - 1, m),
        _ => (d, m),
    });
    if depth.1 > 64 {
        return Err(ExprError {
            kind: ExprErrorKind::Syntax,
            message: "expression nested too deeply".into(),
            at: 0,
            help: None,
        });
    }
    let e = p.or()?;
    if p.pos < p.toks.len() {
        let at = p.at();
        return Err(p.err(
            ExprErrorKind::Syntax,
            "unexpected text after the expression".into(),
            at,
        ));
    }
    if nesting(&e.0) > MAX_DEPTH {
        return Err(ExprError {
            kind: ExprErrorKind::Syntax,
            message: "expression nested too deeply".into(),
            at: 0,
            help: Some(format!(
                "at most {MAX_DEPTH} levels of operators, calls and parentheses; split it into measures or cases"
            )),
        });
    }
    Ok(e)
}

/// The most levels an expression nests — operators (`-`, `not`, a chain of `+` or `and`), calls and parentheses
/// together. Evaluating it, exactly or over ranges, recurses once a level, and the deepest must fit a scoring
/// thread's stack (2 MiB for the Python and WebAssembly workers) with room to spare.
pub const MAX_DEPTH: usize = 64;

/// How many levels `e` nests, counted without recursion (the tree is not yet known to be shallow).
fn nesting(e: &Expr) -> usize {
    let mut deepest = 0;
    let mut todo = vec![(e, 1usize)];
    while let Some((e, d)) = todo.pop() {
        deepest = deepest.max(d);
        match e {
            Expr::Lit(_) | Expr::Var(_) => {}
            Expr::Neg(a) | Expr::Not(a) | Expr::Floor(a) => todo.push((a, d + 1)),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Cmp(_, a, b) | Expr::Arith(_, a, b) => {
                todo.push((a, d + 1));
                todo.push((b, d + 1));
            }
            Expr::If(a, b, c) => {
                todo.push((a, d + 1));
                todo.push((b, d + 1));
                todo.push((c, d + 1));
            }
            Expr::Min(v) | Expr::Max(v) => todo.extend(v.iter().map(|x| (x, d + 1))),
        }
    }
    deepest
}

/// Values of variables during evaluation.
pub trait Env {
    /// The value of `var`, or why it is undefined.
    fn get(&self, var: Var) -> Result<Val, Undefined>;

    /// The value of `var` as a number: `Arithmetic` when it is not one (as [`Env::get`] and a number check).
    /// Environments that hold numbers override it to read them without copying a [`Val`].
    fn num(&self, var: Var) -> Result<Ratio, Undefined> {
        num(self.get(var))
    }

    /// The value of `var` as a boolean: `Arithmetic` when it is not one (as [`Env::get`] and a boolean check).
    fn boolean(&self, var: Var) -> Result<bool, Undefined> {
        boolean(self.get(var))
    }

    /// The value of `var` where it is, if the environment holds it as a value (as [`Env::get`] otherwise).
    fn get_ref(&self, var: Var) -> Result<Cow<'_, Val>, Undefined> {
        self.get(var).map(Cow::Owned)
    }
}

pub(crate) fn num(v: Result<Val, Undefined>) -> Result<Ratio, Undefined> {
    match v? {
        Val::Num(r) => Ok(r),
        _ => Err(Undefined::Arithmetic),
    }
}

fn boolean(v: Result<Val, Undefined>) -> Result<bool, Undefined> {
    match v? {
        Val::Bool(b) => Ok(b),
        _ => Err(Undefined::Arithmetic),
    }
}

/// Whether `op` holds for two values that compare as `ord`.
fn holds(op: Cmp, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Cmp::Lt => ord == Less,
        Cmp::Le => ord != Greater,
        Cmp::Gt => ord == Greater,
        Cmp::Ge => ord != Less,
        Cmp::Eq => ord == Equal,
        Cmp::Ne => ord != Equal,
    }
}

/// Evaluate a compiled expression.
pub fn eval(e: &Expr, env: &dyn Env) -> Result<Val, Undefined> {
    match e {
        Expr::Lit(v) => Ok(v.clone()),
        Expr::Var(v) => env.get(*v),
        Expr::Neg(_) | Expr::Arith(..) | Expr::Min(_) | Expr::Max(_) | Expr::Floor(_) => {
            num_of(e, env).map(Val::Num)
        }
        Expr::Not(_) | Expr::And(..) | Expr::Or(..) | Expr::Cmp(..) => bool_of(e, env).map(Val::Bool),
        Expr::If(c, a, b) => {
            if bool_of(c, env)? {
                eval(a, env)
            } else {
                eval(b, env)
            }
        }
    }
}

/// Evaluate an expression that yields a number (`Arithmetic` when it yields something else), reading variables
/// and literals in place rather than copying them into values: the same answers as [`eval`], with less copying.
pub(crate) fn num_of(e: &Expr, env: &dyn Env) -> Result<Ratio, Undefined> {
    match e {
        Expr::Var(v) => env.num(*v),
        Expr::Lit(Val::Num(r)) => Ok(*r),
        Expr::Neg(a) => Ratio::ZERO
            .checked_sub(num_of(a, env)?)
            .ok_or(Undefined::Arithmetic),
        Expr::Arith(ArithOp(op), a, b) => {
            let (l, r) = (num_of(a, env)?, num_of(b, env)?);
            match op {
                Arith::Add => l.checked_add(r),
                Arith::Sub => l.checked_sub(r),
                Arith::Mul => l.checked_mul(r),
                Arith::Div => l.checked_div(r),
            }
            .ok_or(Undefined::Arithmetic)
        }
        Expr::If(c, a, b) => {
            if bool_of(c, env)? {
                num_of(a, env)
            } else {
                num_of(b, env)
            }
        }
        Expr::Min(es) | Expr::Max(es) => {
            let mut best: Option<Ratio> = None;
            for x in es {
                let v = num_of(x, env)?;
                best = Some(match best {
                    None => v,
                    Some(b) if matches!(e, Expr::Min(_)) => b.min(v),
                    Some(b) => b.max(v),
                });
            }
            best.ok_or(Undefined::Arithmetic)
        }
        Expr::Floor(a) => Ok(num_of(a, env)?.floor()),
        Expr::Lit(_) | Expr::Not(_) | Expr::And(..) | Expr::Or(..) | Expr::Cmp(..) => num(eval(e, env)),
    }
}

/// Evaluate an expression that yields a boolean (`Arithmetic` when it yields something else), three-valued as
/// [`eval`] is and with the same answers.
pub(crate) fn bool_of(e: &Expr, env: &dyn Env) -> Result<bool, Undefined> {
    match e {
        Expr::Lit(Val::Bool(b)) => Ok(*b),
        Expr::Var(v) => env.boolean(*v),
        Expr::Not(a) => Ok(!bool_of(a, env)?),
        Expr::And(a, b) => {
            let l = bool_of(a, env);
            if l == Ok(false) {
                return Ok(false);
            }
            let r = bool_of(b, env);
            if r == Ok(false) {
                return Ok(false);
            }
            Ok(l? && r?)
        }
        Expr::Or(a, b) => {
            let l = bool_of(a, env);
            if l == Ok(true) {
                return Ok(true);
            }
            let r = bool_of(b, env);
            if r == Ok(true) {
                return Ok(true);
            }
            Ok(l? || r?)
        }
        Expr::Cmp(CmpOp(op), a, b) => {
            // Most conditions compare a number with a literal (`failure_rate >= 5%`): read it in place. Anything
            // else that is not a number takes the general path below, which gives the same answer.
            if let (Expr::Var(v), Expr::Lit(Val::Num(y))) = (&**a, &**b) {
                match env.num(*v) {
                    Ok(x) => return Ok(holds(*op, x.cmp(y))),
                    Err(Undefined::NoData) => return Err(Undefined::NoData),
                    Err(Undefined::Arithmetic) => {}
                }
            }
            // Variables and literals are compared where they are (text is not copied, so no shared count moves).
            let l = operand(a, env)?;
            let r = operand(b, env)?;
            match (l.as_ref(), r.as_ref()) {
                (Val::Num(x), Val::Num(y)) => Ok(holds(*op, x.cmp(y))),
                (x, y) => {
                    let eq = x == y;
                    Ok(if *op == Cmp::Ne { !eq } else { eq })
                }
            }
        }
        Expr::If(c, a, b) => {
            if bool_of(c, env)? {
                bool_of(a, env)
            } else {
                bool_of(b, env)
            }
        }
        Expr::Lit(_) | Expr::Neg(_) | Expr::Arith(..) | Expr::Min(_) | Expr::Max(_) | Expr::Floor(_) => {
            boolean(eval(e, env))
        }
    }
}

/// An operand of a comparison: a variable or literal where it is, anything else evaluated.
fn operand<'a>(e: &'a Expr, env: &'a dyn Env) -> Result<Cow<'a, Val>, Undefined> {
    match e {
        Expr::Lit(v) => Ok(Cow::Borrowed(v)),
        Expr::Var(v) => env.get_ref(*v),
        _ => eval(e, env).map(Cow::Owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct S;
    impl Scope for S {
        fn name(&mut self, name: &str) -> Result<(Var, Ty), String> {
            match name {
                "a" => Ok((Var::Measure(0), Ty::Num)),
                "b" => Ok((Var::Measure(1), Ty::Num)),
                "site.kind" => Ok((Var::Measure(2), Ty::Str)),
                "flag" => Ok((Var::Measure(3), Ty::Bool)),
                "missing" => Ok((Var::Measure(4), Ty::Bool)),
                _ => Err(format!("unknown name `{name}`; did you mean `a`?")),
            }
        }
        fn param(&mut self, name: &str) -> Result<(Var, Ty), String> {
            if name == "min" {
                Ok((Var::Param(0), Ty::Num))
            } else {
                Err(format!("unknown parameter `{name}`"))
            }
        }
    }
    struct E;
    impl Env for E {
        fn get(&self, v: Var) -> Result<Val, Undefined> {
            match v {
                Var::Measure(0) => Ok(Val::Num(Ratio::int(3))),
                Var::Measure(1) => Ok(Val::Num(Ratio::new(1, 20).unwrap())),
                Var::Measure(2) => Ok(Val::Str("portal".into())),
                Var::Measure(3) => Ok(Val::Bool(true)),
                Var::Param(0) => Ok(Val::Num(Ratio::int(6))),
                _ => Err(Undefined::NoData),
            }
        }
    }
    fn run(src: &str) -> Result<Val, Undefined> {
        let (e, _) = compile(src, &mut S).unwrap();
        eval(&e, &E)
    }
    fn fails(src: &str) -> ExprError {
        compile(src, &mut S).unwrap_err()
    }

    #[test]
    fn evaluates() {
        assert_eq!(run("b >= 5%"), Ok(Val::Bool(true)));
        assert_eq!(run("b > 5%"), Ok(Val::Bool(false)));
        assert_eq!(run("a + 2 >= 5 and not (a == 4)"), Ok(Val::Bool(true)));
        assert_eq!(
            run("a < if(site.kind == \"portal\", $min, 3)"),
            Ok(Val::Bool(true))
        );
        assert_eq!(run("max(a, 10) * 0.1"), Ok(Val::Num(Ratio::int(1))));
        assert_eq!(run("floor(7 / 2)"), Ok(Val::Num(Ratio::int(3))));
        assert_eq!(run("a / 0"), Err(Undefined::Arithmetic));
    }

    #[test]
    fn three_valued() {
        assert_eq!(run("missing and false"), Ok(Val::Bool(false)));
        assert_eq!(run("flag or missing"), Ok(Val::Bool(true)));
        assert_eq!(run("missing or false"), Err(Undefined::NoData));
        assert_eq!(run("not missing"), Err(Undefined::NoData));
    }

    #[cfg(feature = "compiled-packs")]
    #[test]
    fn operator_codes_read_back() {
        for op in [Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge, Cmp::Eq, Cmp::Ne] {
            assert_eq!(CmpOp::from_code(CmpOp(op).code()), Some(CmpOp(op)));
        }
        for op in [Arith::Add, Arith::Sub, Arith::Mul, Arith::Div] {
            assert_eq!(ArithOp::from_code(ArithOp(op).code()), Some(ArithOp(op)));
        }
        assert_eq!((CmpOp::from_code(6), ArithOp::from_code(4)), (None, None));
    }

    #[test]
    fn compile_errors() {
        assert_eq!(fails("a >= ").kind, ExprErrorKind::Syntax);
        assert_eq!(fails("a = 3").message, "use `==` to compare");
        assert_eq!(fails("a + site.kind").kind, ExprErrorKind::Type);
        assert_eq!(fails("site.kind > 'x'").kind, ExprErrorKind::Type);
        let e = fails("a >= zzz");
        assert_eq!(
            (e.kind, e.at, e.help.as_deref()),
            (ExprErrorKind::Name, 5, Some("did you mean `a`?"))
        );
        assert_eq!(fails("$nope").kind, ExprErrorKind::Name);
        assert_eq!(fails("(a").message, "missing `)`");
        assert_eq!(fails("a b").message, "unexpected text after the expression");
        assert_eq!(fails(&"(".repeat(100)).message, "expression nested too deeply");
        // Nesting without parentheses too: a chain of unary operators, a long sum (left-deep), nested calls.
        for deep in [
            format!("{}a > 0", "-".repeat(1990)),
            format!("{}true", "not ".repeat(500)),
            format!("{} > 0", vec!["a"; 100].join(" + ")),
        ] {
            assert_eq!(fails(&deep).message, "expression nested too deeply", "{deep}");
        }
    }
}
