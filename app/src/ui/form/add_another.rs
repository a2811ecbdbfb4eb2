//! Add another: a repeating group of fields (household members, referees, previous addresses)
//! with owned, indexed names such as `adults[2][first_name]`, working without JavaScript.
//!
//! Without JavaScript, "Add another" and "Remove" are submit buttons: the form posts, the server
//! reads the groups back with [`groups`], applies [`add_another_action`] and renders the form
//! again with one group more or fewer. Nothing is saved by adding or removing.

use super::field_id;
use leptos::prelude::*;

/// The name of `field` in group `index` of `group`: `adults[2][first_name]`.
pub fn indexed_name(group: &str, index: usize, field: &str) -> String {
    format!("{group}[{index}][{field}]")
}

/// Splits an indexed name into its group, index and field: `adults[2][first_name]` is
/// `("adults", 2, "first_name")`. A field may itself have parts (`adults[2][dob][day]` has the
/// field `dob[day]`), so a date input works inside a group.
pub fn parse_indexed(name: &str) -> Option<(&str, usize, String)> {
    let open = name.find('[')?;
    let group = &name[..open];
    let rest = &name[open + 1..];
    let close = rest.find(']')?;
    let index = rest[..close].parse().ok()?;
    let rest = &rest[close + 1..];
    // The field: `[first_name]`, or `[dob][day]` read as `dob[day]`.
    let inner = rest.strip_prefix('[')?;
    let close = inner.find(']')?;
    let field = &inner[..close];
    let tail = &inner[close + 1..];
    if group.is_empty() || field.is_empty() || (!tail.is_empty() && !tail.starts_with('[')) {
        return None;
    }
    Some((group, index, format!("{field}{tail}")))
}

/// One posted group: its fields by name within the group (`first_name`, `dob[day]`), in the
/// order posted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub fields: Vec<(String, String)>,
}

impl Group {
    /// The first value posted for `field`, or empty.
    pub fn get(&self, field: &str) -> String {
        super::pair(&self.fields, field)
    }

    /// True when every field is empty: a group the person added and left blank.
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|(_, v)| v.trim().is_empty())
    }
}

/// The groups posted under `group`, ordered by their index and numbered again from 0 (a removed
/// group leaves a gap that must not become an empty group).
pub fn groups(pairs: &[(String, String)], group: &str) -> Vec<Group> {
    let mut by_index: std::collections::BTreeMap<usize, Group> = Default::default();
    for (name, value) in pairs {
        if let Some((g, index, field)) = parse_indexed(name) {
            if g == group {
                by_index
                    .entry(index)
                    .or_default()
                    .fields
                    .push((field, value.clone()));
            }
        }
    }
    by_index.into_values().collect()
}

/// What the person asked of a repeating group by the button they pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddAnotherAction {
    /// "Add another": one more, empty group.
    Add,
    /// "Remove" on the group at this index (as renumbered by [`groups`]).
    Remove(usize),
}

impl AddAnotherAction {
    /// Applies the action to the groups, keeping at least `min` groups.
    pub fn apply(self, groups: &mut Vec<Group>, min: usize) {
        match self {
            AddAnotherAction::Add => groups.push(Group::default()),
            AddAnotherAction::Remove(i) if i < groups.len() && groups.len() > min => {
                groups.remove(i);
            }
            AddAnotherAction::Remove(_) => {}
        }
    }
}

/// The button pressed for `group`, if it was one of its "Add another" or "Remove" buttons:
/// `add_another=adults`, or `remove=adults[1]`. The index of a removal is its position among
/// the posted groups, so it matches [`groups`]' numbering even after an earlier removal.
pub fn add_another_action(pairs: &[(String, String)], group: &str) -> Option<AddAnotherAction> {
    if pairs.iter().any(|(k, v)| k == "add_another" && v == group) {
        return Some(AddAnotherAction::Add);
    }
    let (_, remove) = pairs.iter().find(|(k, _)| k == "remove")?;
    let open = remove.find('[')?;
    if &remove[..open] != group {
        return None;
    }
    let index: usize = remove[open + 1..].strip_suffix(']')?.parse().ok()?;
    // Position of that index among the posted ones.
    let mut posted: Vec<usize> = pairs
        .iter()
        .filter_map(|(k, _)| parse_indexed(k))
        .filter(|(g, _, _)| *g == group)
        .map(|(_, i, _)| i)
        .collect();
    posted.sort_unstable();
    posted.dedup();
    posted
        .iter()
        .position(|i| *i == index)
        .map(AddAnotherAction::Remove)
}

/// A repeating group: each group a fieldset headed "{item} 1", "{item} 2"…, with a "Remove"
/// button from the second on, then an "Add another {item}" button. `fields` draws group `i`'s
/// fields, named with [`indexed_name`]. Both buttons are submit buttons, so they work without
/// JavaScript: the server renders the form again with one group more or fewer.
///
/// ```ignore
/// let adults = groups(&pairs, "adults");
/// view! {
///     <AddAnother name="adults" item="Adult" count=adults.len().max(1)
///         fields=move |i| view! {
///             <TextField name=indexed_name("adults", i, "first_name") label="First name"
///                 value=adults.get(i).map(|g| g.get("first_name")).unwrap_or_default()
///                 errors=errors />
///         }.into_any() />
/// }
/// ```
#[component]
pub fn AddAnother(
    /// The group's name, the first part of every field's name (`adults`).
    #[prop(into)]
    name: String,
    /// What one group is, as a heading ("Adult"); lower-cased in the buttons.
    #[prop(into)]
    item: String,
    /// How many groups to draw (at least one).
    count: usize,
    /// Draws group `i`'s fields.
    #[prop(into)]
    fields: Callback<usize, AnyView>,
    /// The most groups allowed; the "Add another" button goes once there are this many.
    #[prop(optional)]
    max: Option<usize>,
) -> impl IntoView {
    let count = count.max(1);
    let lower = item.to_lowercase();
    let can_add = max.is_none_or(|m| count < m);
    view! {
        <div class="add-another" id=field_id(&name)>
            {(0..count)
                .map(|i| {
                    let n = i + 1;
                    view! {
                        <fieldset class="fieldset add-another__item">
                            <legend class="fieldset__legend add-another__title">
                                {format!("{item} {n}")}
                            </legend>
                            {fields.run(i)}
                            {(i > 0)
                                .then(|| {
                                    view! {
                                        <button
                                            type="submit"
                                            class="button button--secondary add-another__remove"
                                            name="remove"
                                            value=format!("{name}[{i}]")
                                            formnovalidate
                                        >
                                            "Remove"
                                            <span class="visually-hidden">
                                                {format!(" {lower} {n}")}
                                            </span>
                                        </button>
                                    }
                                })}
                        </fieldset>
                    }
                })
                .collect_view()}
            {can_add
                .then(|| {
                    view! {
                        <button
                            type="submit"
                            class="button button--secondary add-another__add"
                            name="add_another"
                            value=name.clone()
                            formnovalidate
                        >
                            {format!("Add another {lower}")}
                        </button>
                    }
                })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn a_field_is_named_by_group_index_and_field() {
        assert_eq!(
            indexed_name("adults", 2, "first_name"),
            "adults[2][first_name]"
        );
        assert_eq!(
            parse_indexed("adults[2][first_name]"),
            Some(("adults", 2, "first_name".to_string()))
        );
        assert_eq!(
            parse_indexed("adults[0][dob][day]"),
            Some(("adults", 0, "dob[day]".to_string()))
        );
    }

    #[test]
    fn names_that_are_not_indexed_are_not_read_as_groups() {
        for name in [
            "email",
            "adults[x][name]",
            "adults[1]",
            "[1][name]",
            "adults[1][]",
            "adults[1]name",
        ] {
            assert_eq!(parse_indexed(name), None, "{name}");
        }
    }

    #[test]
    fn posted_groups_come_back_in_index_order_numbered_from_nought() {
        let pairs = vec![
            p("email", "a@example.org"),
            p("adults[3][first_name]", "Cy"),
            p("adults[0][first_name]", "Ann"),
            p("adults[0][last_name]", "Smith"),
            p("adults[3][last_name]", "Jones"),
            p("referees[0][first_name]", "Rae"),
        ];
        let adults = groups(&pairs, "adults");
        assert_eq!(adults.len(), 2);
        assert_eq!(adults[0].get("first_name"), "Ann");
        assert_eq!(adults[0].get("last_name"), "Smith");
        assert_eq!(adults[1].get("first_name"), "Cy");
        assert_eq!(groups(&pairs, "referees").len(), 1);
        assert!(groups(&pairs, "children").is_empty());
    }

    #[test]
    fn add_another_adds_an_empty_group_and_remove_takes_the_one_pressed() {
        let pairs = vec![
            p("adults[0][first_name]", "Ann"),
            p("adults[2][first_name]", "Bo"),
            p("adults[5][first_name]", "Cy"),
            p("remove", "adults[5]"),
        ];
        let action = add_another_action(&pairs, "adults");
        assert_eq!(action, Some(AddAnotherAction::Remove(2)));
        let mut g = groups(&pairs, "adults");
        action.unwrap().apply(&mut g, 1);
        assert_eq!(
            g.iter().map(|g| g.get("first_name")).collect::<Vec<_>>(),
            ["Ann", "Bo"]
        );

        let pairs = vec![
            p("adults[0][first_name]", "Ann"),
            p("add_another", "adults"),
        ];
        let mut g = groups(&pairs, "adults");
        add_another_action(&pairs, "adults")
            .unwrap()
            .apply(&mut g, 1);
        assert_eq!(g.len(), 2);
        assert!(g[1].is_blank());
        assert_eq!(add_another_action(&pairs, "referees"), None);
    }

    #[test]
    fn the_last_group_cannot_be_removed_below_the_minimum() {
        let mut g = vec![Group::default()];
        AddAnotherAction::Remove(0).apply(&mut g, 1);
        assert_eq!(g.len(), 1);
    }
}
